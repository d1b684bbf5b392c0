package pages

import (
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// blamelessNames are the people a narrative may name as a cause: every
// active user.
func blamelessNames(users []models.User) []string {
	names := make([]string, 0, len(users))
	for _, u := range users {
		names = append(names, u.Name)
	}
	return names
}

// hintViews turns the detector's hints into what a page shows, with a few
// words of context on either side.
func hintViews(text string, hints []models.BlamelessHint) []views.HintView {
	out := make([]views.HintView, 0, len(hints))
	for _, h := range hints {
		out = append(out, views.HintView{Phrase: h.Phrase, Kind: h.Kind, Why: h.Why, Suggest: h.Suggest,
			Before: contextBefore(text[:h.Start], 40), After: contextAfter(text[h.End:], 40)})
	}
	return out
}

func contextBefore(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[len(r)-n:]
	}
	return string(r)
}

func contextAfter(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}
