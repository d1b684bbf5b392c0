package api

import (
	"time"

	"github.com/debrief-sre/debrief/models"
)

type templateVersionJSON struct {
	Key           string                `json:"key"`
	Name          string                `json:"name"`
	Description   string                `json:"description"`
	Version       int                   `json:"version"`
	Status        string                `json:"status"`
	Source        string                `json:"source"`
	Builtin       bool                  `json:"builtin"`
	QuestionCount int                   `json:"question_count"`
	PublishedAt   *time.Time            `json:"published_at"`
	Sections      []templateSectionJSON `json:"sections,omitempty"`
}

type templateSectionJSON struct {
	Key       string                 `json:"key"`
	Title     string                 `json:"title"`
	Questions []templateQuestionJSON `json:"questions"`
}

type templateQuestionJSON struct {
	Key      string `json:"key"`
	Prompt   string `json:"prompt"`
	Guidance string `json:"guidance"`
	Evidence string `json:"evidence"`
	Risk     string `json:"risk"`
}

func toTemplateVersionJSON(t *models.ReviewTemplate, v *models.TemplateVersion, questions int, full bool) templateVersionJSON {
	j := templateVersionJSON{Key: t.Key, Name: v.Name, Description: v.Description, Version: v.Number, Status: v.Status, Source: v.Source,
		Builtin: t.Builtin, QuestionCount: questions, PublishedAt: v.PublishedAt}
	if full {
		j.Sections = []templateSectionJSON{}
		for _, sec := range v.Sections {
			sj := templateSectionJSON{Key: sec.Key, Title: sec.Title, Questions: []templateQuestionJSON{}}
			for _, q := range sec.Questions {
				sj.Questions = append(sj.Questions, templateQuestionJSON{Key: q.Key, Prompt: q.Prompt, Guidance: q.Guidance, Evidence: q.Evidence, Risk: q.Risk})
			}
			j.Sections = append(j.Sections, sj)
		}
	}
	return j
}
