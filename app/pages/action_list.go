package pages

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// ActionList serves the action item list: filters, its CSV export, bulk changes and inline row edits.
type ActionList struct{ base }

// The one list of every action item: filters (action_query.go), sort,
// pages, bulk changes, inline edits (htmx) and CSV export.

const actionsPerPage = 50

func (h ActionList) Index(c echo.Context) error {
	return h.renderActionList(c, http.StatusOK, c.QueryParams(), views.NewForm(), nil)
}

// renderActionList shows the list for the parameters v; bulk and selected
// carry a failed bulk change back to the person.
func (h ActionList) renderActionList(c echo.Context, status int, v url.Values, bulk views.Form, selected map[int64]bool) error {
	ctx := c.Request().Context()
	f, err := h.ActionFilter(c, v)
	if err != nil {
		return err
	}
	page := max(1, web.AtoiOr(v.Get("page"), 1))
	q := f.Query
	q.Limit, q.Offset = actionsPerPage, (page-1)*actionsPerPage
	items, err := models.FindActionItems(ctx, h.DB, q)
	if err != nil {
		return err
	}
	total, err := models.CountFoundActionItems(ctx, h.DB, q)
	if err != nil {
		return err
	}
	rows, err := h.actionListRows(ctx, items)
	if err != nil {
		return err
	}
	m := views.ActionListModel{
		Filter: views.FormFrom(f.Res.Params), Chips: h.actionChips(f), Rows: rows, Total: total, Page: page,
		Pages:   int((total + actionsPerPage - 1) / actionsPerPage),
		Export:  h.Path("actions.export") + web.EncodeQuery(f.Res.Params),
		Query:   f.Res.Params.Encode(),
		CanEdit: h.Can(c, "actions.bulk"), Bulk: bulk, Selected: selected,
		Sorts: map[string]views.SortLink{}, ClearURL: h.Path("actions.index"),
	}
	m.Errors = f.Res.Messages()
	if m.Teams, err = h.teamOptions(ctx); err != nil {
		return err
	}
	if m.Owners, err = h.userOptions(ctx, models.RoleMember); err != nil {
		return err
	}
	pageURL := func(n int) string {
		w := web.CloneValues(f.Res.Params)
		if n > 1 {
			w.Set("page", strconv.Itoa(n))
		}
		return h.ActionsURL(w)
	}
	if page > 1 {
		m.PrevURL = pageURL(page - 1)
	}
	if page < m.Pages {
		m.NextURL = pageURL(page + 1)
	}
	// Age sorts by creation, newest (youngest) first.
	for key, asc := range map[string]string{"title": "title", "status": "status", "priority": "priority", "owner": "owner",
		"team": "team", "due": "due", "created": "-created"} {
		desc := "-" + strings.TrimPrefix(asc, "-")
		if strings.HasPrefix(asc, "-") {
			desc = strings.TrimPrefix(asc, "-")
		}
		cur := q.Sort
		if cur == "" {
			cur = "due"
		}
		link := views.SortLink{}
		next := asc
		switch cur {
		case asc:
			link.Current, next = "asc", desc
		case desc:
			link.Current = "desc"
		}
		w := web.CloneValues(f.Res.Params)
		w.Set("sort", next)
		link.URL = h.ActionsURL(w)
		m.Sorts[key] = link
	}
	m.Presets = h.actionPresets(f.Res.Params)
	return h.Render(c, status, views.ActionListPage(h.Page(c, "Action items", "actions"), m))
}

// actionPresets are the saved views above the list.
func (h ActionList) actionPresets(cur url.Values) []views.Preset {
	month := h.Today().AddDays(-30).String()
	presets := []struct {
		label string
		v     url.Values
	}{
		{"Not closed", url.Values{"state": {"open"}}},
		{"Overdue", url.Values{"due": {"overdue"}}},
		{"Due within 7 days", url.Values{"due": {"7d"}}},
		{"Mine", url.Values{"owner": {"me"}, "state": {"open"}}},
		{"Nobody owns", url.Values{"owner": {"none"}, "state": {"open"}}},
		{"Closed in the last 30 days", url.Values{"state": {"closed"}, "closed_from": {month}}},
		{"Won't do", url.Values{"status": {models.ActionWontDo}}},
		{"All", url.Values{}},
	}
	plain := web.CloneValues(cur)
	plain.Del("sort")
	out := make([]views.Preset, 0, len(presets))
	for _, p := range presets {
		out = append(out, views.Preset{Label: p.label, URL: h.ActionsURL(p.v), Current: p.v.Encode() == plain.Encode()})
	}
	return out
}

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
		return fmt.Sprintf("in %d days", n)
	case n == -1:
		return "1 day overdue"
	}
	return fmt.Sprintf("%d days overdue", -n)
}

// ---- CSV export ----

// actionExport streams the filtered list as CSV, every matching item.
func (h ActionList) Export(c echo.Context) error {
	ctx := c.Request().Context()
	f, err := h.ActionFilter(c, c.QueryParams())
	if err != nil {
		return err
	}
	if f.Err != nil {
		return f.Err
	}
	hdr := c.Response().Header()
	hdr.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	hdr.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="action-items-%s.csv"`, h.Today()))
	c.Response().WriteHeader(http.StatusOK)
	w := models.NewCSVWriter(c.Response())
	base := h.ExternalURL(c)
	today := h.Today()
	_ = w.Write([]string{"id", "title", "status", "priority", "owner_email", "owner_name", "team", "due_date", "overdue",
		"source_kind", "incident", "component", "created_at", "closed_at", "closed_on", "status_reason", "completion_note", "external_url", "url"})
	err = models.EachActionItem(ctx, h.DB, f.Query, func(a *models.ActionItem) error {
		var ownerName, team, incident, component string
		if a.Owner != nil {
			ownerName = a.Owner.Name
		}
		if a.Team != nil {
			team = a.Team.Slug
		}
		if a.Incident != nil {
			incident = a.Incident.Key()
		}
		if a.Component != nil {
			component = a.Component.Slug
		}
		closedAt := ""
		if a.ClosedAt != nil {
			closedAt = a.ClosedAt.UTC().Format(time.RFC3339)
		}
		return w.Write([]string{strconv.FormatInt(a.ID, 10), a.Title, a.Status, a.Priority, a.OwnerEmail(), ownerName, team,
			datePtrString(a.DueDate), strconv.FormatBool(a.Overdue(today)), a.SourceKind, incident, component,
			a.CreatedAt.UTC().Format(time.RFC3339), closedAt, datePtrString(a.ClosedOn), a.StatusReason, a.CompletionNote,
			a.ExternalURL, base + h.Path("actions.show", a.ID)})
	})
	flushErr := w.Flush()
	if err != nil {
		// The header is out; the truncated file ends with the reason.
		h.Log.ErrorContext(ctx, "action item export failed", "err", err, "request_id", web.RequestID(c))
		_, _ = fmt.Fprintf(c.Response(), "\nexport failed: %s\n", web.RequestID(c))
		return nil
	}
	return flushErr
}

// ---- bulk changes ----

func (h ActionList) Bulk(c echo.Context) error {
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	listQuery, _ := url.ParseQuery(form.Get("query"))
	change := models.BulkChange{Status: form.Get("status"), Note: form.Get("note")}
	selected := map[int64]bool{}
	for _, raw := range form["id"] {
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
			change.IDs = append(change.IDs, id)
			selected[id] = true
		}
	}
	switch o := form.Get("owner"); o {
	case "":
	case "none":
		empty := ""
		change.Owner = &empty
	default:
		change.Owner = &o
	}
	if form.Get("clear_due") == "1" {
		empty := ""
		change.DueDate = &empty
	} else if d := form.Get("due_date"); d != "" {
		change.DueDate = &d
	}
	res, err := models.BulkChangeActionItems(c.Request().Context(), h.DB, web.Actor(c), change)
	if ve, ok := models.AsValidation(err); ok {
		bulk := views.FormFrom(form).WithErrors(ve.Fields, ve.Global)
		if msg, ok := ve.Fields["status_reason"]; ok {
			bulk.Errors["note"] = msg
		}
		return h.renderActionList(c, http.StatusUnprocessableEntity, listQuery, bulk, selected)
	}
	if errors.Is(err, models.ErrNotFound) {
		h.Flash(c, "warn", "One of the selected items no longer exists; nothing was changed.")
		return h.Redirect(c, h.ActionsURL(listQuery))
	}
	if err != nil {
		return err
	}
	msg := "Changed " + views.Plural(int64(res.Changed), "action item", "action items") + "."
	if res.Unchanged > 0 {
		msg += fmt.Sprintf(" %d already had those values.", res.Unchanged)
	}
	h.Flash(c, "ok", msg)
	return h.Redirect(c, h.ActionsURL(listQuery))
}

// ---- inline edit of a row ----

func (h ActionList) loadRow(c echo.Context) (*models.ActionItem, views.ActionListRow, error) {
	ctx := c.Request().Context()
	id, err := web.PathID(c, "id")
	if err != nil {
		return nil, views.ActionListRow{}, err
	}
	a, err := models.GetActionItem(ctx, h.DB, id)
	if err != nil {
		return nil, views.ActionListRow{}, err
	}
	rows, err := h.actionListRows(ctx, []models.ActionItem{*a})
	if err != nil {
		return nil, views.ActionListRow{}, err
	}
	return a, rows[0], nil
}

func (h ActionList) RowShow(c echo.Context) error {
	_, row, err := h.loadRow(c)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.ActionListRowView(row, h.Can(c, "actions.row.update"), false))
}

func rowForm(a *models.ActionItem) views.Form {
	return views.NewForm().Set("status", a.Status).Set("priority", a.Priority).Set("owner", a.OwnerEmail()).
		Set("due_date", datePtrString(a.DueDate)).Set("version", strconv.Itoa(a.Version))
}

func (h ActionList) RowEdit(c echo.Context) error {
	a, row, err := h.loadRow(c)
	if err != nil {
		return err
	}
	return h.renderRowEditor(c, http.StatusOK, row, rowForm(a), false)
}

func (h ActionList) renderRowEditor(c echo.Context, status int, row views.ActionListRow, f views.Form, conflict bool) error {
	owners, err := h.userOptions(c.Request().Context(), models.RoleMember)
	if err != nil {
		return err
	}
	return h.Render(c, status, views.ActionRowEditor(views.ActionRowEdit{Row: row, Form: f, Owners: owners, Conflict: conflict}))
}

// actionRowUpdate saves an inline edit: owner, due date and priority, and
// a status change with its note, all or nothing.
func (h ActionList) RowUpdate(c echo.Context) error {
	a, row, err := h.loadRow(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	_, err = models.UpdateActionItemInline(c.Request().Context(), h.DB, web.Actor(c), a.ID, models.InlineEdit{
		Version: web.AtoiOr(form.Get("version"), 0), Priority: form.Get("priority"), Owner: form.Get("owner"), DueDate: form.Get("due_date"),
		Status: form.Get("status"), Note: form.Get("note"),
	})
	var ce *models.ConflictError
	switch {
	case errors.As(err, &ce):
		return h.renderRowEditor(c, http.StatusConflict, row, rowForm(a), true)
	case err != nil:
		ve, ok := models.AsValidation(err)
		if !ok {
			return err
		}
		return h.renderRowEditor(c, http.StatusUnprocessableEntity, row, views.FormFrom(form).WithErrors(ve.Fields, ve.Global), false)
	}
	if !web.IsHTMX(c) {
		h.Flash(c, "ok", "Action item saved.")
		return h.Redirect(c, h.Path("actions.index"))
	}
	_, row, err = h.loadRow(c)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.ActionListRowView(row, true, false))
}

// chips are the list's active filters, each linking to the list without it.
func (h ActionList) actionChips(f web.ActionFilter) []views.FilterChip {
	return web.FilterChips(f.Res, h.Path("actions.index"), f.Res.Params)
}
