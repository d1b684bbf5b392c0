package api

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

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
