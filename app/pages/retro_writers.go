package pages

import (
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// writerViews are who wrote how many notes, as the retro board shows it.
func writerViews(list []models.Writer) []views.WriterView {
	out := make([]views.WriterView, 0, len(list))
	for _, w := range list {
		out = append(out, views.WriterView{Name: w.Name, Notes: w.Notes})
	}
	return out
}
