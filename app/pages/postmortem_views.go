package pages

import (
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// postmortemStatusOptions are the postmortem statuses in order, labelled.
func postmortemStatusOptions() []views.Option {
	out := make([]views.Option, 0, len(models.PostmortemStatuses()))
	for _, s := range models.PostmortemStatuses() {
		out = append(out, views.Option{Value: s, Label: models.PostmortemStatusLabel(s)})
	}
	return out
}
