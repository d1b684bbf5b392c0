package pages

import (
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func actionRow(today models.Date, a *models.ActionItem) views.ActionRow {
	r := views.ActionRow{
		ID: a.ID, Title: a.Title, Status: a.Status, Priority: a.Priority, SourceKind: a.SourceKind,
		Due: datePtrString(a.DueDate), Overdue: a.Overdue(today), Closed: a.IsClosed(),
	}
	if a.Owner != nil {
		r.Owner = a.Owner.Name
	}
	if a.Team != nil {
		r.Team = a.Team.Name
	}
	return r
}

func (b base) actionRows(items []models.ActionItem) []views.ActionRow {
	today := b.Today()
	out := make([]views.ActionRow, 0, len(items))
	for i := range items {
		out = append(out, actionRow(today, &items[i]))
	}
	return out
}
