package pages

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// ActionList serves the action item list: filters, its CSV export, bulk changes and inline row edits.
type ActionList struct{ base }

// The one list of every action item: filters (action_query.go), sort,
// pages, bulk changes, inline edits (htmx) and CSV export. This file holds
// the list itself; its rows, export, bulk changes and inline edits are in
// action_list_*.go.

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

// chips are the list's active filters, each linking to the list without it.
func (h ActionList) actionChips(f web.ActionFilter) []views.FilterChip {
	return web.FilterChips(f.Res, h.Path("actions.index"), f.Res.Params)
}
