package pages

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// MyWork serves the signed-in user's own open work.
type MyWork struct{ base }

// myWork is each person's page: their open items by due date, and the
// items they created for others.
func (h MyWork) Show(c echo.Context) error {
	ctx := c.Request().Context()
	u := web.CurrentUser(c)
	today := h.Today()
	base := models.ActionQuery{Now: h.Now(), Loc: h.Location}
	base.Today = today

	mine := base
	mine.OwnerID, mine.OpenOnly, mine.Limit = u.ID, true, 500
	items, err := models.FindActionItems(ctx, h.DB, mine)
	if err != nil {
		return err
	}
	rows, err := h.actionListRows(ctx, items)
	if err != nil {
		return err
	}
	week := today.AddDays(7)
	sections := []views.MyWorkSection{
		{Key: "overdue", Title: "Overdue", Hint: "Past their due date. Finish them, move the date, or close them as won't do with a reason."},
		{Key: "week", Title: "Due within 7 days"},
		{Key: "later", Title: "Later"},
		{Key: "undated", Title: "No due date", Hint: "Give them a date, so they show up in reminders and your calendar."},
	}
	m := views.MyWorkModel{Name: u.Name, Muted: u.MuteReminders, CanEdit: h.Can(c, "actions.row.update"), Next: h.Path("me.my_work")}
	for i := range items {
		a := &items[i]
		k := 3
		switch {
		case a.DueDate == nil:
		case a.DueDate.Before(today):
			k = 0
			m.Overdue++
		case !a.DueDate.After(week):
			k = 1
			m.DueWeek++
		default:
			k = 2
		}
		sections[k].Rows = append(sections[k].Rows, rows[i])
		m.Open++
	}
	for _, sec := range sections {
		if len(sec.Rows) > 0 {
			m.Sections = append(m.Sections, sec)
		}
	}

	created := base
	created.CreatorID, created.OpenOnly, created.Limit, created.Sort = u.ID, true, 100, "due"
	others, err := models.FindActionItems(ctx, h.DB, created)
	if err != nil {
		return err
	}
	var theirs []models.ActionItem
	for _, a := range others {
		if a.OwnerID == nil || *a.OwnerID != u.ID {
			theirs = append(theirs, a)
		}
	}
	if m.Created, err = h.actionListRows(ctx, theirs); err != nil {
		return err
	}

	from := today.AddDays(-30)
	done := base
	done.OwnerID, done.ClosedOnly, done.ClosedOnFrom, done.Sort, done.Limit = u.ID, true, &from, "-updated", 10
	closed, err := models.FindActionItems(ctx, h.DB, done)
	if err != nil {
		return err
	}
	if m.Closed, err = h.actionListRows(ctx, closed); err != nil {
		return err
	}
	done.Statuses = []string{models.ActionDone}
	if m.DoneMonth, err = models.CountFoundActionItems(ctx, h.DB, done); err != nil {
		return err
	}
	m.MineURL = h.ActionsURL(url.Values{"owner": {"me"}})
	m.CreatedURL = h.ActionsURL(url.Values{"creator": {"me"}, "state": {"open"}})
	return h.Render(c, http.StatusOK, views.MyWorkPage(h.Page(c, "My work", ""), m))
}
