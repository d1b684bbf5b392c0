package models

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
)

// TemplateDef is a review template's content independent of where it came
// from: our YAML, a Well-Architected lens, the draft editor or the
// database. Line fields point into the source file (0 when unknown).
type TemplateDef struct {
	Key         string
	Name        string
	Description string
	Sections    []SectionDef
	Line        int
	Lines       map[string]int
}

// SectionDef is one section of a template.
type SectionDef struct {
	Key         string
	Title       string
	Description string
	Questions   []QuestionDef
	Line        int
	Lines       map[string]int
}

// QuestionDef is one question: a stable key, the prompt, guidance
// (Markdown), the evidence to collect and the risk if unmet.
type QuestionDef struct {
	Key      string
	Prompt   string
	Guidance string
	Evidence string
	Risk     string
	Line     int
	Lines    map[string]int
}

// Risks of questions, highest first.
const (
	RiskHigh   = "high"
	RiskMedium = "medium"
	RiskLow    = "low"
)

// questionRisks lists the risks a question may carry, highest first.
var questionRisks = []string{RiskHigh, RiskMedium, RiskLow}

// RiskWeight is how much a question of the risk counts in the readiness
// score.
func RiskWeight(risk string) int {
	switch risk {
	case RiskHigh:
		return 3
	case RiskMedium:
		return 2
	}
	return 1
}

// TemplateProblem is one thing wrong with a template source.
type TemplateProblem struct {
	Line    int
	Path    string
	Message string
}

func (p TemplateProblem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d", p.Line)
	}
	if p.Path != "" {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.Path)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// MaxTemplateProblems caps how many problems are reported at once.
const MaxTemplateProblems = 50

// templateProblemsError turns problems into a validation error on field,
// listing every problem (the first also at the field).
func templateProblemsError(field string, ps []TemplateProblem) error {
	if len(ps) == 0 {
		return nil
	}
	v := &ValidationError{}
	v.Add(field, ps[0].String())
	for i, p := range ps {
		if i == MaxTemplateProblems {
			v.AddGlobal(fmt.Sprintf("… and %d more problems.", len(ps)-i))
			break
		}
		v.AddGlobal(p.String())
	}
	return v
}

var questionKeyRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,79}$`)

// ValidQuestionKey reports whether k can key a question or section.
func ValidQuestionKey(k string) bool { return questionKeyRE.MatchString(k) }

func line(m map[string]int, field string, def int) int {
	if l, ok := m[field]; ok {
		return l
	}
	return def
}

// Normalize trims the fields and fills section keys from titles.
func (d *TemplateDef) Normalize() {
	d.Key = strings.TrimSpace(d.Key)
	d.Name = CleanLine(d.Name)
	d.Description = strings.TrimSpace(CleanText(d.Description))
	for i := range d.Sections {
		s := &d.Sections[i]
		s.Title = CleanLine(s.Title)
		s.Description = strings.TrimSpace(CleanText(s.Description))
		s.Key = strings.TrimSpace(s.Key)
		if s.Key == "" {
			s.Key = Slugify(s.Title)
		}
		for j := range s.Questions {
			q := &s.Questions[j]
			q.Key = strings.TrimSpace(q.Key)
			q.Prompt = strings.TrimSpace(CleanText(q.Prompt))
			q.Guidance = strings.TrimSpace(CleanText(q.Guidance))
			q.Evidence = strings.TrimSpace(CleanText(q.Evidence))
			q.Risk = strings.ToLower(strings.TrimSpace(q.Risk))
		}
	}
}

// Validate checks the definition and returns every problem found.
// requireQuestions is false for drafts being built up in the editor.
func (d *TemplateDef) Validate(requireQuestions bool) []TemplateProblem {
	var ps []TemplateProblem
	add := func(l int, path, msg string) { ps = append(ps, TemplateProblem{Line: l, Path: path, Message: msg}) }
	if !ValidSlug(d.Key) {
		add(line(d.Lines, "key", d.Line), "key", "key must be lowercase letters, digits and single dashes, like operational-readiness")
	}
	if d.Name == "" {
		add(line(d.Lines, "name", d.Line), "name", "name is required")
	} else if len([]rune(d.Name)) > 120 {
		add(line(d.Lines, "name", d.Line), "name", "name must be at most 120 characters")
	}
	if requireQuestions && len(d.Sections) == 0 {
		add(line(d.Lines, "sections", d.Line), "sections", "a template needs at least one section with questions")
	}
	sectionKeys := map[string]string{}
	questionKeys := map[string]string{}
	total := 0
	for i, s := range d.Sections {
		sp := fmt.Sprintf("sections[%d]", i)
		if s.Title == "" {
			add(line(s.Lines, "title", s.Line), sp+".title", "section title is required")
		}
		if !ValidQuestionKey(s.Key) {
			add(line(s.Lines, "key", s.Line), sp+".key", "section key must be lowercase letters, digits, dots, dashes or underscores")
		} else if prev, dup := sectionKeys[s.Key]; dup {
			add(line(s.Lines, "key", s.Line), sp+".key", fmt.Sprintf("section key %q is already used by %s", s.Key, prev))
		} else {
			sectionKeys[s.Key] = sp
		}
		if requireQuestions && len(s.Questions) == 0 {
			add(line(s.Lines, "questions", s.Line), sp+".questions", "a section needs at least one question")
		}
		for j, q := range s.Questions {
			total++
			qp := fmt.Sprintf("%s.questions[%d]", sp, j)
			switch {
			case q.Key == "":
				add(line(q.Lines, "key", q.Line), qp+".key", "question key is required (a stable name such as backup-restore-tested)")
			case !ValidQuestionKey(q.Key):
				add(line(q.Lines, "key", q.Line), qp+".key", fmt.Sprintf("question key %q must be lowercase letters, digits, dots, dashes or underscores (at most 80)", q.Key))
			default:
				if prev, dup := questionKeys[q.Key]; dup {
					add(line(q.Lines, "key", q.Line), qp+".key", fmt.Sprintf("question key %q is already used by %s", q.Key, prev))
				} else {
					questionKeys[q.Key] = qp
				}
			}
			if q.Prompt == "" {
				add(line(q.Lines, "prompt", q.Line), qp+".prompt", "prompt is required")
			} else if len([]rune(q.Prompt)) > 1000 {
				add(line(q.Lines, "prompt", q.Line), qp+".prompt", "prompt must be at most 1000 characters")
			}
			if !oneOf(q.Risk, questionRisks...) {
				add(line(q.Lines, "risk", q.Line), qp+".risk", fmt.Sprintf("risk must be high, medium or low, not %q", q.Risk))
			}
		}
	}
	if total > 500 {
		add(d.Line, "sections", "a template may have at most 500 questions")
	}
	return ps
}

// QuestionCount counts the questions.
func (d *TemplateDef) QuestionCount() int {
	n := 0
	for _, s := range d.Sections {
		n += len(s.Questions)
	}
	return n
}

// Hash identifies the content (not where it came from), so importing the
// same template twice is recognised.
func (d *TemplateDef) Hash() string {
	h := sha256.New()
	w := func(s string) { fmt.Fprintf(h, "%d:%s|", len(s), s) }
	w(d.Key)
	w(d.Name)
	w(d.Description)
	for _, s := range d.Sections {
		w("S")
		w(s.Key)
		w(s.Title)
		w(s.Description)
		for _, q := range s.Questions {
			w("Q")
			w(q.Key)
			w(q.Prompt)
			w(q.Guidance)
			w(q.Evidence)
			w(q.Risk)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
