package models

import (
	"fmt"
	"regexp"
	"strings"
)

// TemplateSectionInput is one section as an admin edits it. Key may be
// empty: it is derived from the title (and kept stable once set).
type TemplateSectionInput struct {
	Key      string
	Title    string
	Guidance string
}

// PostmortemTemplateInput is a template as an admin edits it.
type PostmortemTemplateInput struct {
	Name        string
	Description string
	Archived    bool
	Sections    []TemplateSectionInput
}

// Limits of templates.
const (
	MaxTemplateSections = 30
	maxGuidanceLength   = 2000
)

var keyChars = regexp.MustCompile(`[^a-z0-9]+`)

// SectionKey derives a stable key from a section title: "What went well"
// becomes "what_went_well".
func SectionKey(title string) string {
	k := strings.Trim(keyChars.ReplaceAllString(strings.ToLower(title), "_"), "_")
	if len(k) > 48 {
		k = strings.TrimRight(k[:48], "_")
	}
	return k
}

// Validate normalises the input; section errors are keyed
// "sections.N.title" (N from 0).
func (in *PostmortemTemplateInput) Validate() *ValidationError {
	v := &ValidationError{}
	in.Name = CleanLine(in.Name)
	in.Description = strings.TrimSpace(CleanText(in.Description))
	switch {
	case in.Name == "":
		v.Add("name", "Name the template, like “Security incident”.")
	case len([]rune(in.Name)) > 120:
		v.Add("name", "Use at most 120 characters.")
	}
	if len(in.Description) > maxGuidanceLength {
		v.Add("description", fmt.Sprintf("Use at most %d characters.", maxGuidanceLength))
	}
	secs := make([]TemplateSectionInput, 0, len(in.Sections))
	seen := map[string]int{}
	for i, s := range in.Sections {
		s.Title = CleanLine(s.Title)
		s.Guidance = strings.TrimSpace(CleanText(s.Guidance))
		s.Key = SectionKey(s.Key)
		if s.Title == "" && s.Guidance == "" {
			continue // an empty row of the form
		}
		field := fmt.Sprintf("sections.%d.", i)
		if s.Title == "" {
			v.Add(field+"title", "Give the section a title.")
		} else if len([]rune(s.Title)) > 120 {
			v.Add(field+"title", "Use at most 120 characters.")
		}
		if len(s.Guidance) > maxGuidanceLength {
			v.Add(field+"guidance", fmt.Sprintf("Use at most %d characters.", maxGuidanceLength))
		}
		if s.Key == "" {
			s.Key = SectionKey(s.Title)
		}
		if s.Key == "" {
			s.Key = fmt.Sprintf("section_%d", i+1)
		}
		if j, dup := seen[s.Key]; dup {
			v.Add(field+"title", fmt.Sprintf("Section %d has the same title; give each section its own.", j+1))
		}
		seen[s.Key] = i
		secs = append(secs, s)
	}
	in.Sections = secs
	switch {
	case len(secs) == 0:
		v.Add("sections", "Add at least one section.")
	case len(secs) > MaxTemplateSections:
		v.Add("sections", fmt.Sprintf("Use at most %d sections.", MaxTemplateSections))
	}
	return v
}
