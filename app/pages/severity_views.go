package pages

import (
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// View models of severities: badges everywhere, and the admin pages.

// severityView is a severity for a badge; nil stays nil ("Unclassified").
func severityView(s *models.Severity) *views.SeverityView {
	if s == nil {
		return nil
	}
	v := severityValue(*s)
	return &v
}

func severityValue(s models.Severity) views.SeverityView {
	return views.SeverityView{ID: s.ID, Name: s.Name, Rank: s.Rank, Description: s.Description, Color: s.Color}
}

func severityViews(list []models.Severity) []views.SeverityView {
	out := make([]views.SeverityView, 0, len(list))
	for _, s := range list {
		out = append(out, severityValue(s))
	}
	return out
}

// severityColorOptions are the palette entries a severity may have.
func severityColorOptions() []views.Option {
	out := make([]views.Option, 0, len(models.SeverityColors()))
	for _, c := range models.SeverityColors() {
		out = append(out, views.Option{Value: c, Label: c})
	}
	return out
}

// severitiesView is the severities admin page with the form for a new one.
func severitiesView(list []models.Severity, f views.Form) views.SeveritiesModel {
	return views.SeveritiesModel{Severities: severityViews(list), Form: f, Colors: severityColorOptions()}
}

// severityEditView is the form that edits sev.
func severityEditView(sev *models.Severity, f views.Form) views.SeverityEditModel {
	return views.SeverityEditModel{Severity: severityValue(*sev), Form: f, Colors: severityColorOptions()}
}
