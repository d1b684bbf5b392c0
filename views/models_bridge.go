package views

import "github.com/debrief-sre/debrief/models"

// severityOf adapts a stored severity for pages that still receive
// models values; it goes once every page gets a view model.
func severityOf(s *models.Severity) *SeverityView {
	if s == nil {
		return nil
	}
	return &SeverityView{ID: s.ID, Name: s.Name, Rank: s.Rank, Description: s.Description, Color: s.Color}
}
