package models

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// TemplateFormat is the value of the `debrief` marker at the top of our
// template YAML (see docs/review-templates.md).
const TemplateFormat = "review-template/v1"

// nodeReader walks a parsed YAML (or JSON) tree, collecting problems with
// the line and path where they are.
type nodeReader struct {
	problems []TemplateProblem
}

func (r *nodeReader) fail(n *yaml.Node, path, msg string) {
	l := 0
	if n != nil {
		l = n.Line
	}
	r.problems = append(r.problems, TemplateProblem{Line: l, Path: path, Message: msg})
}

// mapping returns a mapping node's entries by key; with allowed set, other
// keys are reported (with their own line).
func (r *nodeReader) mapping(n *yaml.Node, path string, allowed []string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n == nil {
		return out
	}
	if n.Kind != yaml.MappingNode {
		r.fail(n, path, "must be a mapping of fields")
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if _, dup := out[k.Value]; dup {
			r.fail(k, joinPath(path, k.Value), fmt.Sprintf("field %q appears twice", k.Value))
			continue
		}
		if allowed != nil && !oneOf(k.Value, allowed...) {
			r.fail(k, joinPath(path, k.Value), fmt.Sprintf("unknown field %q (allowed: %s)", k.Value, strings.Join(allowed, ", ")))
			continue
		}
		out[k.Value] = v
	}
	return out
}

func joinPath(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

// str reads an optional scalar as a string.
func (r *nodeReader) str(m map[string]*yaml.Node, field, path string) string {
	n, ok := m[field]
	if !ok || n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		r.fail(n, joinPath(path, field), "must be text")
		return ""
	}
	return n.Value
}

func (r *nodeReader) seq(m map[string]*yaml.Node, field, path string) []*yaml.Node {
	n, ok := m[field]
	if !ok || n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		r.fail(n, joinPath(path, field), "must be a list")
		return nil
	}
	return n.Content
}

func lines(m map[string]*yaml.Node) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v.Line
	}
	return out
}

// parseYAMLRoot parses src into its root node, reporting syntax errors
// with their line.
func parseYAMLRoot(src []byte) (*yaml.Node, []TemplateProblem) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(src))
	if err := dec.Decode(&doc); err != nil {
		return nil, []TemplateProblem{yamlSyntaxProblem(err)}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, []TemplateProblem{{Line: extra.Line, Message: "the file holds more than one YAML document; put one template in each file"}}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, []TemplateProblem{{Message: "the file is empty"}}
	}
	return doc.Content[0], nil
}

func yamlSyntaxProblem(err error) TemplateProblem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var l int
	if _, serr := fmt.Sscanf(msg, "line %d:", &l); serr == nil {
		msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
	}
	if strings.Contains(msg, "EOF") && l == 0 {
		msg = "the file is empty"
	}
	return TemplateProblem{Line: l, Message: "not valid YAML: " + msg}
}

// ParseTemplateYAML reads a template in our YAML format. Any problem
// rejects the whole file; the problems name their line and field.
func ParseTemplateYAML(src []byte) (*TemplateDef, error) {
	root, ps := parseYAMLRoot(src)
	if ps != nil {
		return nil, templateProblemsError("file", ps)
	}
	r := &nodeReader{}
	top := r.mapping(root, "", []string{"debrief", "key", "name", "description", "sections"})
	if len(r.problems) == 0 || root.Kind == yaml.MappingNode {
		if f := r.str(top, "debrief", ""); f != TemplateFormat {
			if f == "" {
				r.fail(root, "debrief", fmt.Sprintf("the first field must be `debrief: %s`, which marks a Debrief template", TemplateFormat))
			} else {
				r.fail(top["debrief"], "debrief", fmt.Sprintf("unsupported format %q; this Debrief reads %s", f, TemplateFormat))
			}
		}
	}
	d := &TemplateDef{
		Key: r.str(top, "key", ""), Name: r.str(top, "name", ""), Description: r.str(top, "description", ""),
		Line: root.Line, Lines: lines(top),
	}
	for i, sn := range r.seq(top, "sections", "") {
		sp := fmt.Sprintf("sections[%d]", i)
		sm := r.mapping(sn, sp, []string{"key", "title", "description", "questions"})
		s := SectionDef{Key: r.str(sm, "key", sp), Title: r.str(sm, "title", sp), Description: r.str(sm, "description", sp), Line: sn.Line, Lines: lines(sm)}
		for j, qn := range r.seq(sm, "questions", sp) {
			qp := fmt.Sprintf("%s.questions[%d]", sp, j)
			qm := r.mapping(qn, qp, []string{"key", "prompt", "guidance", "evidence", "risk"})
			s.Questions = append(s.Questions, QuestionDef{
				Key: r.str(qm, "key", qp), Prompt: r.str(qm, "prompt", qp), Guidance: r.str(qm, "guidance", qp),
				Evidence: r.str(qm, "evidence", qp), Risk: r.str(qm, "risk", qp), Line: qn.Line, Lines: lines(qm),
			})
		}
		d.Sections = append(d.Sections, s)
	}
	d.Normalize()
	ps = append(r.problems, d.Validate(true)...)
	if len(ps) > 0 {
		return nil, templateProblemsError("file", ps)
	}
	return d, nil
}

// yamlTemplate is the export shape; field order is the documented one.
type yamlTemplate struct {
	Debrief     string        `yaml:"debrief"`
	Key         string        `yaml:"key"`
	Name        string        `yaml:"name"`
	Description string        `yaml:"description,omitempty"`
	Sections    []yamlSection `yaml:"sections"`
}

type yamlSection struct {
	Key         string         `yaml:"key"`
	Title       string         `yaml:"title"`
	Description string         `yaml:"description,omitempty"`
	Questions   []yamlQuestion `yaml:"questions"`
}

type yamlQuestion struct {
	Key      string `yaml:"key"`
	Prompt   string `yaml:"prompt"`
	Guidance string `yaml:"guidance,omitempty"`
	Evidence string `yaml:"evidence,omitempty"`
	Risk     string `yaml:"risk"`
}

// TemplateYAML writes a definition in our YAML format, which
// ParseTemplateYAML reads back to the same definition. header, when set,
// is written as comment lines at the top.
func TemplateYAML(d *TemplateDef, header string) ([]byte, error) {
	t := yamlTemplate{Debrief: TemplateFormat, Key: d.Key, Name: d.Name, Description: d.Description, Sections: []yamlSection{}}
	for _, s := range d.Sections {
		ys := yamlSection{Key: s.Key, Title: s.Title, Description: s.Description, Questions: []yamlQuestion{}}
		for _, q := range s.Questions {
			ys.Questions = append(ys.Questions, yamlQuestion{Key: q.Key, Prompt: q.Prompt, Guidance: q.Guidance, Evidence: q.Evidence, Risk: q.Risk})
		}
		t.Sections = append(t.Sections, ys)
	}
	var buf bytes.Buffer
	for _, l := range strings.Split(strings.TrimSpace(header), "\n") {
		if l != "" {
			buf.WriteString("# " + l + "\n")
		}
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(t); err != nil {
		return nil, fmt.Errorf("models: template yaml: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("models: template yaml: %w", err)
	}
	return buf.Bytes(), nil
}
