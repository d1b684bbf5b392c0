package pages

import (
	"context"
	"strconv"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// actionListRows turns items into rows with their comment counts.
func (b base) actionListRows(ctx context.Context, items []models.ActionItem) ([]views.ActionListRow, error) {
	ids := make([]int64, len(items))
	for i := range items {
		ids[i] = items[i].ID
	}
	counts, err := models.ActionCommentCounts(ctx, b.DB, ids)
	if err != nil {
		return nil, err
	}
	today := b.Today()
	out := make([]views.ActionListRow, 0, len(items))
	for i := range items {
		out = append(out, b.actionListRow(today, &items[i], counts[items[i].ID]))
	}
	return out, nil
}

func (b base) actionListRow(today models.Date, a *models.ActionItem, comments int) views.ActionListRow {
	r := views.ActionListRow{ActionRow: actionRow(today, a), OwnerEmail: a.OwnerEmail(), TeamSlug: a.TeamSlug(),
		Comments: comments, Version: a.Version}
	if a.DueDate != nil && !a.IsClosed() {
		r.DueRelative = dueRelative(today, *a.DueDate)
	}
	age := int(b.Now().Sub(a.CreatedAt).Hours() / 24)
	if a.ClosedAt != nil {
		age = int(a.ClosedAt.Sub(a.CreatedAt).Hours() / 24)
	}
	r.Age = strconv.Itoa(max(0, age)) + " d"
	switch {
	case a.Incident != nil:
		r.Source, r.SourceURL = a.Incident.Key()+" "+a.Incident.Title, b.Path("incidents.show", a.Incident.Key())
	case a.Component != nil:
		r.Source, r.SourceURL = a.Component.Name, b.Path("components.show", a.Component.Slug)
	}
	return r
}

// dueRelative says how a due date relates to today.
func dueRelative(today, due models.Date) string {
	n := today.DaysUntil(due)
	switch {
	case n == 0:
		return "due today"
	case n == 1:
		return "due tomorrow"
	case n > 1:
		return "in " + views.Plural(n, "day", "days")
	}
	return views.Plural(-n, "day", "days") + " overdue"
}
