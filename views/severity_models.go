package views

import "github.com/debrief-sre/debrief/models"

// Severities as pages show them.

// SeverityClass is the badge class of a severity colour.
func SeverityClass(s *models.Severity) string {
	if s == nil {
		return "badge sev sev-none"
	}
	return "badge sev sev-" + s.Color
}

// SeverityName is a severity's name or a note that none is set.
func SeverityName(s *models.Severity) string {
	if s == nil {
		return "Unclassified"
	}
	return s.Name
}
