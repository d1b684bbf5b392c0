package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The import of AWS Well-Architected custom lens JSON. What maps how (and
// what cannot) is written down in docs/review-templates.md:
//
//   lens name/description → template name/description (key: slug of the name)
//   pillar                → section (key from the pillar id)
//   question              → question (key from the question id), title → prompt
//   description, helpful resource, choices with their helpful resources
//   and improvement plans, risk rules → guidance (Markdown)
//   risk rules            → the question's risk: the worst risk any rule names
//                           (HIGH_RISK → high, MEDIUM_RISK → medium, else low)

// ParseWellArchitectedLens reads a Well-Architected custom lens (JSON). key
// overrides the template key (default: the slug of the lens name). Any
// problem rejects the whole file, naming its line and JSON path.
func ParseWellArchitectedLens(src []byte, key string) (*TemplateDef, error) {
	root, p := parseJSONTree(src)
	if p != nil {
		return nil, templateProblemsError("file", []TemplateProblem{*p})
	}
	r := &nodeReader{}
	top := r.mapping(root, "", nil)
	if root.Kind == yaml.MappingNode {
		if _, ok := top["pillars"]; !ok {
			r.fail(root, "pillars", "not a Well-Architected lens: it has no \"pillars\" (is this our YAML format?)")
		}
		if v := r.str(top, "schemaVersion", ""); v != "" && v != "2021-11-01" {
			r.fail(top["schemaVersion"], "schemaVersion", fmt.Sprintf("unsupported lens schema version %q (2021-11-01 is supported)", v))
		}
	}
	d := &TemplateDef{Name: r.str(top, "name", ""), Description: r.str(top, "description", ""), Line: root.Line, Lines: lines(top)}
	d.Key = strings.TrimSpace(key)
	if d.Key == "" {
		d.Key = Slugify(d.Name)
		if len(d.Key) > 64 {
			d.Key = strings.Trim(d.Key[:64], "-")
		}
	}
	seenQ := map[string]string{}
	for i, pn := range r.seq(top, "pillars", "") {
		pp := fmt.Sprintf("pillars[%d]", i)
		pm := r.mapping(pn, pp, nil)
		id := r.str(pm, "id", pp)
		if id == "" {
			r.fail(pn, pp+".id", "pillar id is required")
		}
		s := SectionDef{Key: lensKey(id), Title: r.str(pm, "name", pp), Line: pn.Line, Lines: lines(pm)}
		if s.Title == "" {
			r.fail(pn, pp+".name", "pillar name is required")
		}
		for j, qn := range r.seq(pm, "questions", pp) {
			qp := fmt.Sprintf("%s.questions[%d]", pp, j)
			q := r.lensQuestion(qn, qp)
			if q.Key != "" {
				if prev, dup := seenQ[q.Key]; dup {
					r.fail(qn, qp+".id", fmt.Sprintf("question key %q (made from its id) is already used by %s", q.Key, prev))
				}
				seenQ[q.Key] = qp
			}
			s.Questions = append(s.Questions, q)
		}
		d.Sections = append(d.Sections, s)
	}
	d.Normalize()
	ps := r.problems
	if len(ps) == 0 {
		ps = d.Validate(true)
	}
	if len(ps) > 0 {
		return nil, templateProblemsError("file", ps)
	}
	return d, nil
}

var lensRisk = map[string]int{"NO_RISK": 0, "MEDIUM_RISK": 1, "HIGH_RISK": 2}

var lensIdent = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_\-]*`)

func (r *nodeReader) lensQuestion(qn *yaml.Node, qp string) QuestionDef {
	qm := r.mapping(qn, qp, nil)
	id := r.str(qm, "id", qp)
	q := QuestionDef{Key: lensKey(id), Prompt: r.str(qm, "title", qp), Line: qn.Line, Lines: lines(qm)}
	if id == "" {
		r.fail(qn, qp+".id", "question id is required")
	}
	if q.Prompt == "" {
		r.fail(qn, qp+".title", "question title is required")
	}
	var g strings.Builder
	if desc := r.str(qm, "description", qp); desc != "" {
		g.WriteString(desc + "\n\n")
	}
	if link := r.lensLink(qm, "helpfulResource", qp); link != "" {
		g.WriteString("Helpful resource: " + link + "\n\n")
	}
	choiceIDs := map[string]bool{}
	var titles []string
	choices := r.seq(qm, "choices", qp)
	if len(choices) > 0 {
		g.WriteString("**Best practices**\n\n")
	}
	for k, cn := range choices {
		cp := fmt.Sprintf("%s.choices[%d]", qp, k)
		cm := r.mapping(cn, cp, nil)
		cid, title := r.str(cm, "id", cp), r.str(cm, "title", cp)
		if cid == "" {
			r.fail(cn, cp+".id", "choice id is required")
		}
		if title == "" {
			r.fail(cn, cp+".title", "choice title is required")
		}
		choiceIDs[cid] = true
		titles = append(titles, title)
		g.WriteString("- " + title)
		if link := r.lensLink(cm, "helpfulResource", cp); link != "" {
			g.WriteString(" — " + link)
		}
		g.WriteString("\n")
		if plan := r.lensLink(cm, "improvementPlan", cp); plan != "" {
			g.WriteString("  - To improve: " + plan + "\n")
		}
	}
	worst := -1
	var rules []string
	for k, rn := range r.seq(qm, "riskRules", qp) {
		rp := fmt.Sprintf("%s.riskRules[%d]", qp, k)
		rm := r.mapping(rn, rp, nil)
		cond, risk := r.str(rm, "condition", rp), r.str(rm, "risk", rp)
		level, ok := lensRisk[risk]
		if !ok {
			r.fail(rm["risk"], rp+".risk", fmt.Sprintf("risk must be HIGH_RISK, MEDIUM_RISK or NO_RISK, not %q", risk))
			continue
		}
		if cond == "" {
			r.fail(rn, rp+".condition", "condition is required (a choice expression or \"default\")")
		}
		if cond != "default" {
			for _, ident := range lensIdent.FindAllString(cond, -1) {
				if !choiceIDs[ident] {
					r.fail(rm["condition"], rp+".condition", fmt.Sprintf("condition names %q, which is not a choice of this question", ident))
				}
			}
		}
		worst = max(worst, level)
		rules = append(rules, fmt.Sprintf("`%s` → %s", cond, strings.ToLower(strings.ReplaceAll(risk, "_", " "))))
	}
	if len(rules) > 0 {
		g.WriteString("\nRisk rules of the original lens: " + strings.Join(rules, "; ") + ".\n")
	}
	q.Guidance = g.String()
	if len(titles) > 0 {
		q.Evidence = "Which of these practices are in place, with a link that shows each: " + strings.Join(titles, "; ") + "."
	}
	switch worst {
	case 2:
		q.Risk = RiskHigh
	case 1:
		q.Risk = RiskMedium
	default:
		q.Risk = RiskLow
	}
	return q
}

// lensLink renders a {displayText, url} object as Markdown.
func (r *nodeReader) lensLink(m map[string]*yaml.Node, field, path string) string {
	n, ok := m[field]
	if !ok {
		return ""
	}
	lm := r.mapping(n, joinPath(path, field), nil)
	text, u := r.str(lm, "displayText", joinPath(path, field)), r.str(lm, "url", joinPath(path, field))
	switch {
	case u != "" && validHTTPURL(u):
		if text == "" {
			text = u
		}
		return "[" + strings.ReplaceAll(text, "]", ")") + "](" + u + ")"
	case u != "":
		r.fail(lm["url"], joinPath(path, field)+".url", fmt.Sprintf("%q is not a full http(s) URL", u))
	}
	return text
}

var lensKeyBad = regexp.MustCompile(`[^a-z0-9._-]+`)

func lensKey(id string) string {
	k := lensKeyBad.ReplaceAllString(strings.ToLower(strings.TrimSpace(id)), "-")
	k = strings.Trim(k, "-._")
	if len(k) > 80 {
		k = k[:80]
	}
	return k
}

// parseJSONTree reads JSON into a yaml.Node tree (JSON is what YAML calls
// flow style), keeping the line of every value, so one reader serves both
// formats. Syntax errors come back with their line and column.
func parseJSONTree(src []byte) (*yaml.Node, *TemplateProblem) {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	lineAt := func(off int64) int { return bytes.Count(src[:min(int(off), len(src))], []byte("\n")) + 1 }
	var parse func() (*yaml.Node, error)
	parse = func() (*yaml.Node, error) {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		// The token starts after any whitespace following start.
		off := start
		for off < int64(len(src)) && strings.ContainsRune(" \t\r\n,:", rune(src[off])) {
			off++
		}
		n := &yaml.Node{Line: lineAt(off)}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				n.Kind, n.Tag = yaml.MappingNode, "!!map"
				for dec.More() {
					k, err := parse()
					if err != nil {
						return nil, err
					}
					v, err := parse()
					if err != nil {
						return nil, err
					}
					n.Content = append(n.Content, k, v)
				}
			case '[':
				n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
				for dec.More() {
					v, err := parse()
					if err != nil {
						return nil, err
					}
					n.Content = append(n.Content, v)
				}
			}
			if _, err := dec.Token(); err != nil { // closing delimiter
				return nil, err
			}
		case string:
			n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!str", t
		case json.Number:
			n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!int", t.String()
		case bool:
			n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!bool", fmt.Sprint(t)
		case nil:
			n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!null", ""
		}
		return n, nil
	}
	root, err := parse()
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = errors.New("unexpected data after the JSON value")
		}
	}
	if err != nil {
		var se *json.SyntaxError
		off := dec.InputOffset()
		if errors.As(err, &se) {
			off = se.Offset
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			if len(bytes.TrimSpace(src)) == 0 {
				return nil, &TemplateProblem{Message: "the file is empty"}
			}
			return nil, &TemplateProblem{Line: lineAt(int64(len(src))), Message: "not valid JSON: the file ends too early"}
		}
		return nil, &TemplateProblem{Line: lineAt(off), Message: "not valid JSON: " + strings.TrimPrefix(err.Error(), "json: ")}
	}
	return root, nil
}
