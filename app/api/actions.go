package api

import (
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// Actions serves action items: the list, create, read and update, bulk changes, history, comments and the follow-through figures.
type Actions struct{ *web.Kit }

// The action item API: the list with every filter of the page, create,
// get, update, bulk update and comments; and the follow-through figures.

type eventJSON struct {
	At    time.Time `json:"at"`
	Actor string    `json:"actor"`
	From  string    `json:"from"`
	To    string    `json:"to"`
	Note  string    `json:"note"`
}

type commentJSON struct {
	ID        int64     `json:"id"`
	Author    string    `json:"author"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

func strPtr(s string) *string { return &s }

// apiActionQuery reads GET /api/v1/action-items: every filter of the
// action item page (models.ActionFilters, which takes the first API's
// names too). Without sort, items come by id and the cursor is the last
// id; with sort, the cursor carries the offset.
func (h Actions) apiActionQuery(c echo.Context, lp listParams) (models.ActionQuery, func(int64) any, error) {
	// The first API's "status=open_all" is the page's state=open; its
	// other names are aliases in the table.
	v := url.Values{}
	for k, vals := range c.QueryParams() {
		for _, x := range vals {
			if k == "status" && x == "open_all" {
				v.Set("state", "open")
				continue
			}
			v.Add(k, x)
		}
	}
	f, err := h.ActionFilter(c, v)
	if err != nil {
		return f.Query, nil, err
	}
	if f.Err != nil {
		return f.Query, nil, f.Err
	}
	q := f.Query
	q.Limit = lp.Limit + 1
	if q.Sort == "" {
		q.Sort = "id"
		if err := decodeCursor(lp.Cursor, &q.AfterID); err != nil {
			return q, nil, err
		}
		return q, func(id int64) any { return id }, nil
	}
	var pos struct {
		Offset int `json:"offset"`
	}
	if err := decodeCursor(lp.Cursor, &pos); err != nil {
		return q, nil, err
	}
	q.Offset = pos.Offset
	next := pos.Offset + lp.Limit
	return q, func(int64) any { return map[string]int{"offset": next} }, nil
}

// apiActionHistory is an item's append-only status history, oldest first.
func (h Actions) History(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := models.GetActionItem(ctx, h.DB, id); err != nil {
		return err
	}
	hist, err := models.ActionItemHistory(ctx, h.DB, id)
	if err != nil {
		return err
	}
	out := make([]eventJSON, 0, len(hist))
	for _, e := range hist {
		out = append(out, eventJSON{At: e.At.UTC(), Actor: e.ActorName, From: e.FromStatus, To: e.ToStatus, Note: e.Note})
	}
	return web.WriteJSON(c, http.StatusOK, listPage[eventJSON]{Items: out})
}

func (h Actions) Bulk(c echo.Context) error {
	var in struct {
		IDs     []int64 `json:"ids"`
		Status  string  `json:"status"`
		Note    string  `json:"note"`
		Owner   *string `json:"owner"`
		DueDate *string `json:"due_date"`
	}
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	res, err := models.BulkChangeActionItems(c.Request().Context(), h.DB, web.Actor(c), models.BulkChange{
		IDs: in.IDs, Status: in.Status, Note: in.Note, Owner: in.Owner, DueDate: in.DueDate,
	})
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusOK, map[string]int{"changed": res.Changed, "unchanged": res.Unchanged})
}

func (h Actions) Comments(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := models.GetActionItem(ctx, h.DB, id); err != nil {
		return err
	}
	cs, err := models.ActionComments(ctx, h.DB, id)
	if err != nil {
		return err
	}
	out := make([]commentJSON, 0, len(cs))
	for _, cm := range cs {
		out = append(out, commentJSON{ID: cm.ID, Author: cm.AuthorName, Body: cm.Body, CreatedAt: cm.CreatedAt.UTC()})
	}
	return web.WriteJSON(c, http.StatusOK, listPage[commentJSON]{Items: out})
}

func (h Actions) CommentCreate(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Body string `json:"body"`
	}
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	cm, err := models.AddActionComment(c.Request().Context(), h.DB, web.Actor(c), id, in.Body)
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusCreated, commentJSON{ID: cm.ID, Author: cm.AuthorName, Body: cm.Body, CreatedAt: cm.CreatedAt.UTC()})
}

// ---- /api/v1/insights/follow-through ----

type completionJSON struct {
	Due         int64    `json:"due"`
	OnTime      int64    `json:"on_time"`
	Late        int64    `json:"late"`
	OpenOverdue int64    `json:"open_overdue"`
	NotYetDue   int64    `json:"not_yet_due"`
	WontDo      int64    `json:"wont_do"`
	Rate        *float64 `json:"rate"`
}

func toCompletionJSON(c models.Completion) completionJSON {
	out := completionJSON{Due: c.Due, OnTime: c.OnTime, Late: c.Late, OpenOverdue: c.OpenOverdue, NotYetDue: c.NotYetDue, WontDo: c.WontDo}
	if r, ok := c.Rate(); ok {
		out.Rate = &r
	}
	return out
}

type followThroughJSON struct {
	Scope struct {
		Team     *string `json:"team"`
		Owner    *string `json:"owner"`
		From     string  `json:"from"`
		To       string  `json:"to"`
		Today    string  `json:"today"`
		TimeZone string  `json:"timezone"`
	} `json:"scope"`
	Open       int64          `json:"open"`
	Overdue    int64          `json:"overdue"`
	DueIn7     int64          `json:"due_in_7_days"`
	DueIn30    int64          `json:"due_in_30_days"`
	Completion completionJSON `json:"completion"`
	Closing    struct {
		Closed        int64    `json:"closed"`
		WontDo        int64    `json:"wont_do"`
		WontDoShare   *float64 `json:"wont_do_share"`
		MedianSeconds *float64 `json:"median_seconds"`
		P90Seconds    *float64 `json:"p90_seconds"`
		MeanSeconds   *float64 `json:"mean_seconds"`
	} `json:"closing"`
	Aging      []agingJSON     `json:"aging"`
	Trend      []trendJSON     `json:"trend"`
	BySeverity []severityJSON  `json:"by_severity"`
	Breakdown  []breakdownJSON `json:"breakdown,omitempty"`
	BreakBy    string          `json:"breakdown_by,omitempty"`
	ItemsURL   string          `json:"items_url"`
}

type agingJSON struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	MinDays int    `json:"min_days"`
	MaxDays *int   `json:"max_days"`
	Count   int64  `json:"count"`
}

type trendJSON struct {
	At      time.Time `json:"at"`
	Day     string    `json:"day"`
	Now     bool      `json:"now"`
	Open    int64     `json:"open"`
	Overdue int64     `json:"overdue"`
}

type severityJSON struct {
	Severity *string      `json:"severity"`
	Items    int64        `json:"items"`
	Open     int64        `json:"open"`
	Within   []withinJSON `json:"closed_within"`
}

type withinJSON struct {
	Days     int      `json:"days"`
	Eligible int64    `json:"eligible"`
	Closed   int64    `json:"closed"`
	Rate     *float64 `json:"rate"`
}

type breakdownJSON struct {
	Team          *string        `json:"team,omitempty"`
	Owner         *string        `json:"owner,omitempty"`
	Open          int64          `json:"open"`
	Overdue       int64          `json:"overdue"`
	DueIn7        int64          `json:"due_in_7_days"`
	Completion    completionJSON `json:"completion"`
	Closed        int64          `json:"closed"`
	WontDo        int64          `json:"wont_do"`
	MedianSeconds *float64       `json:"median_seconds"`
	P90Seconds    *float64       `json:"p90_seconds"`
}

// apiFollowThrough answers the dashboard's figures for team, owner and
// the period from..to (or days), with by=team|owner for a breakdown.
func (h Actions) FollowThrough(c echo.Context) error {
	ctx := c.Request().Context()
	sc, err := h.FollowThroughScope(c, c.QueryParams())
	if err != nil {
		return err
	}
	if len(sc.Errors) > 0 {
		return &models.ValidationError{Fields: sc.Errors}
	}
	by := c.QueryParam("by")
	if by != "" && by != models.ByTeam && by != models.ByOwner {
		return models.FieldError("by", "by is team or owner.")
	}
	var f *models.FollowThrough
	if by == "" {
		f, err = models.ComputeFollowThrough(ctx, h.DB, sc.Scope)
	} else {
		f, err = models.ComputeFollowThroughBy(ctx, h.DB, sc.Scope, by)
	}
	if err != nil {
		return err
	}
	var out followThroughJSON
	if t := sc.Base.Get("team"); t != "" {
		out.Scope.Team = strPtr(t)
	}
	if o := sc.Base.Get("owner"); o != "" {
		out.Scope.Owner = strPtr(o)
	}
	out.Scope.From, out.Scope.To, out.Scope.Today, out.Scope.TimeZone = f.Scope.From.String(), f.Scope.To.String(), f.Today.String(), h.Location.String()
	out.Open, out.Overdue, out.DueIn7, out.DueIn30 = f.Open, f.Overdue, f.DueIn7, f.DueIn30
	out.Completion = toCompletionJSON(f.Completion)
	cl := &out.Closing
	cl.Closed, cl.WontDo, cl.MedianSeconds, cl.P90Seconds, cl.MeanSeconds = f.Closing.Closed, f.Closing.WontDo, f.Closing.MedianSeconds, f.Closing.P90Seconds, f.Closing.MeanSeconds
	if r, ok := f.Closing.WontDoShare(); ok {
		cl.WontDoShare = &r
	}
	out.Aging, out.Trend, out.BySeverity = []agingJSON{}, []trendJSON{}, []severityJSON{}
	for _, b := range f.Aging {
		e := agingJSON{Key: b.Key, Label: b.Label, MinDays: b.Min, Count: b.Count}
		if b.Max >= 0 {
			mx := b.Max
			e.MaxDays = &mx
		}
		out.Aging = append(out.Aging, e)
	}
	for _, p := range f.Trend {
		out.Trend = append(out.Trend, trendJSON{At: p.At.UTC(), Day: p.Day.String(), Now: p.Live, Open: p.Open, Overdue: p.Overdue})
	}
	for _, sv := range f.BySeverity {
		row := severityJSON{Items: sv.Items, Open: sv.Open, Within: []withinJSON{}}
		if sv.SeverityID != nil {
			row.Severity = strPtr(sv.Name)
		}
		for _, w := range sv.Within {
			cell := withinJSON{Days: w.Days, Eligible: w.Eligible, Closed: w.Closed}
			if r, ok := w.Rate(); ok {
				cell.Rate = &r
			}
			row.Within = append(row.Within, cell)
		}
		out.BySeverity = append(out.BySeverity, row)
	}
	out.BreakBy = f.BreakdownBy
	if by != "" {
		keys, err := h.breakdownKeys(c, by)
		if err != nil {
			return err
		}
		out.Breakdown = []breakdownJSON{}
		for _, r := range f.Breakdown {
			b := breakdownJSON{Open: r.Open, Overdue: r.Overdue, DueIn7: r.DueIn7, Completion: toCompletionJSON(r.Completion),
				Closed: r.Closed, WontDo: r.WontDo, MedianSeconds: r.MedianSeconds, P90Seconds: r.P90Secs}
			var key *string
			if r.ID != 0 {
				key = strPtr(keys[r.ID])
			}
			if by == models.ByTeam {
				b.Team = key
			} else {
				b.Owner = key
			}
			out.Breakdown = append(out.Breakdown, b)
		}
	}
	w := url.Values{}
	for k, v := range sc.Base {
		w[k] = v
	}
	out.ItemsURL = h.ExternalURL(c) + h.ActionsURL(w)
	return web.WriteJSON(c, http.StatusOK, out)
}

// breakdownKeys maps team or user IDs to slugs or emails.
func (h Actions) breakdownKeys(c echo.Context, by string) (map[int64]string, error) {
	ctx := c.Request().Context()
	out := map[int64]string{}
	if by == models.ByTeam {
		teams, err := models.ListTeams(ctx, h.DB)
		if err != nil {
			return nil, err
		}
		for _, t := range teams {
			out[t.ID] = t.Slug
		}
		return out, nil
	}
	users, err := models.ListUsers(ctx, h.DB, models.UserFilter{})
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		out[u.ID] = u.Email
	}
	return out, nil
}
