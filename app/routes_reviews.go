package app

import (
	"net/http"

	"github.com/debrief-sre/debrief/app/pages"
)

// reviewRoutes are the pages of components, review templates, reviews and findings.
func reviewRoutes(p *pages.Handlers) []route {
	return []route{
		// Components, review templates, reviews and findings
		{Name: "reviews.index", Method: http.MethodGet, Path: "/reviews", Handler: p.Reviews.Index, Access: viewer},
		{Name: "components.index", Method: http.MethodGet, Path: "/components", Handler: p.Components.Index, Access: viewer},
		{Name: "components.new", Method: http.MethodGet, Path: "/components/new", Handler: p.Components.New, Access: member},
		{Name: "components.create", Method: http.MethodPost, Path: "/components", Handler: p.Components.Create, Access: member},
		{Name: "components.show", Method: http.MethodGet, Path: "/components/:slug", Handler: p.Components.Show, Access: viewer},
		{Name: "components.edit", Method: http.MethodGet, Path: "/components/:slug/edit", Handler: p.Components.Edit, Access: member},
		{Name: "components.update", Method: http.MethodPost, Path: "/components/:slug/edit", Handler: p.Components.Update, Access: member},
		{Name: "reviews.due", Method: http.MethodGet, Path: "/reviews/due", Handler: p.Reviews.Due, Access: viewer},
		{Name: "templates.index", Method: http.MethodGet, Path: "/review-templates", Handler: p.Templates.Index, Access: viewer},
		{Name: "templates.create", Method: http.MethodPost, Path: "/review-templates", Handler: p.Templates.Create, Access: admin},
		{Name: "templates.import", Method: http.MethodGet, Path: "/review-templates/import", Handler: p.Templates.ImportForm, Access: admin},
		{Name: "templates.import.submit", Method: http.MethodPost, Path: "/review-templates/import", Handler: p.Templates.Import, Access: admin, Upload: true},
		{Name: "templates.show", Method: http.MethodGet, Path: "/review-templates/:key", Handler: p.Templates.Show, Access: viewer},
		{Name: "templates.version", Method: http.MethodGet, Path: "/review-templates/:key/versions/:n", Handler: p.Templates.Version, Access: viewer},
		{Name: "templates.export", Method: http.MethodGet, Path: "/review-templates/:key/versions/:n/yaml", Handler: p.Templates.Export, Access: viewer},
		{Name: "templates.draft", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/draft", Handler: p.Templates.Transition("draft"), Access: admin},
		{Name: "templates.publish", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/publish", Handler: p.Templates.Transition("publish"), Access: admin},
		{Name: "templates.deprecate", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/deprecate", Handler: p.Templates.Transition("deprecate"), Access: admin},
		{Name: "templates.discard", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/discard", Handler: p.Templates.Transition("discard"), Access: admin},
		{Name: "templates.yaml", Method: http.MethodGet, Path: "/review-templates/:key/versions/:n/edit", Handler: p.Templates.YAMLForm, Access: admin},
		{Name: "templates.yaml.save", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/edit", Handler: p.Templates.YAMLSave, Access: admin},
		{Name: "templates.section.add", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/sections", Handler: p.Templates.SectionAdd, Access: admin},
		{Name: "templates.question.add", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/sections/:section/questions", Handler: p.Templates.QuestionAdd, Access: admin},
		{Name: "templates.question", Method: http.MethodGet, Path: "/review-templates/:key/versions/:n/questions/:q/edit", Handler: p.Templates.QuestionForm, Access: admin},
		{Name: "templates.question.update", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/questions/:q/edit", Handler: p.Templates.QuestionUpdate, Access: admin},
		{Name: "templates.question.delete", Method: http.MethodPost, Path: "/review-templates/:key/versions/:n/questions/:q/delete", Handler: p.Templates.QuestionDelete, Access: admin},
		{Name: "reviews.new", Method: http.MethodGet, Path: "/reviews/new", Handler: p.Reviews.New, Access: member},
		{Name: "reviews.create", Method: http.MethodPost, Path: "/reviews", Handler: p.Reviews.Create, Access: member},
		{Name: "reviews.show", Method: http.MethodGet, Path: "/reviews/:id", Handler: p.Reviews.Show, Access: viewer},
		{Name: "reviews.edit", Method: http.MethodGet, Path: "/reviews/:id/edit", Handler: p.Reviews.Edit, Access: member},
		{Name: "reviews.update", Method: http.MethodPost, Path: "/reviews/:id/edit", Handler: p.Reviews.Update, Access: member},
		{Name: "reviews.transition", Method: http.MethodPost, Path: "/reviews/:id/transition", Handler: p.Reviews.Transition, Access: member},
		{Name: "reviews.signoff", Method: http.MethodGet, Path: "/reviews/:id/signoff", Handler: p.Reviews.SignOffForm, Access: facilitator},
		{Name: "reviews.signoff.submit", Method: http.MethodPost, Path: "/reviews/:id/signoff", Handler: p.Reviews.SignOff, Access: facilitator},
		{Name: "reviews.readout", Method: http.MethodGet, Path: "/reviews/:id/readout", Handler: p.Readouts.Show, Access: viewer},
		{Name: "reviews.readout.md", Method: http.MethodGet, Path: "/reviews/:id/readout.md", Handler: p.Readouts.Markdown, Access: viewer},
		{Name: "components.compare", Method: http.MethodGet, Path: "/components/:slug/compare", Handler: p.Components.Compare, Access: viewer},
		{Name: "reviews.answer", Method: http.MethodGet, Path: "/reviews/:id/answers/:key", Handler: p.Reviews.AnswerFragment, Access: viewer},
		{Name: "reviews.answer.save", Method: http.MethodPost, Path: "/reviews/:id/answers/:key", Handler: p.Reviews.AnswerSave, Access: member},
		{Name: "findings.new", Method: http.MethodGet, Path: "/reviews/:id/findings/new", Handler: p.Findings.New, Access: member},
		{Name: "findings.create", Method: http.MethodPost, Path: "/reviews/:id/findings", Handler: p.Findings.Create, Access: member},
		{Name: "findings.show", Method: http.MethodGet, Path: "/findings/:id", Handler: p.Findings.Show, Access: viewer},
		{Name: "findings.edit", Method: http.MethodGet, Path: "/findings/:id/edit", Handler: p.Findings.Edit, Access: member},
		{Name: "findings.update", Method: http.MethodPost, Path: "/findings/:id/edit", Handler: p.Findings.Update, Access: member},
		{Name: "findings.status", Method: http.MethodPost, Path: "/findings/:id/status", Handler: p.Findings.Status, Access: member},
	}
}
