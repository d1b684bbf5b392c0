package pages

import (
	"context"
	"fmt"
	"strconv"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func (b base) fillBreakdown(ctx context.Context, m *views.DashboardModel, sc ftScope, f *models.FollowThrough) error {
	if f.BreakdownBy == "" {
		return nil
	}
	from, to := f.Scope.From.String(), f.Scope.To.String()
	names := map[int64]string{}
	params := map[int64]string{}
	key := "team"
	if f.BreakdownBy == models.ByTeam {
		m.ByLabel = "team"
		teams, err := models.ListTeams(ctx, b.DB)
		if err != nil {
			return err
		}
		for _, t := range teams {
			names[t.ID], params[t.ID] = t.Name, t.Slug
		}
		names[0], params[0] = "No team", "none"
	} else {
		key, m.ByLabel = "owner", "owner"
		users, err := models.ListUsers(ctx, b.DB, models.UserFilter{})
		if err != nil {
			return err
		}
		for _, u := range users {
			names[u.ID], params[u.ID] = u.Name, u.Email
		}
		names[0], params[0] = "Nobody", "none"
	}
	for _, r := range f.Breakdown {
		base := web.CloneValues(sc.Base)
		base.Set(key, params[r.ID])
		dash := ""
		if r.ID != 0 {
			w := web.CloneValues(sc.Base)
			w.Set(key, params[r.ID])
			w.Set("from", from)
			w.Set("to", to)
			dash = b.Path("actions.dashboard") + web.EncodeQuery(w)
		}
		rate, ok := r.CompletionRate()
		wont, wok := models.Closing{Closed: r.Closed, WontDo: r.WontDo}.WontDoShare()
		overdueTone := ""
		if r.Overdue > 0 {
			overdueTone = "bad"
		}
		m.Breakdown = append(m.Breakdown, views.BreakdownRow{
			Name: names[r.ID], DashboardURL: dash,
			Open:       views.Figure{Value: strconv.FormatInt(r.Open, 10), URL: b.ftLink(base, "state", "open")},
			Overdue:    views.Figure{Value: strconv.FormatInt(r.Overdue, 10), URL: b.ftLink(base, "due", "overdue"), Tone: overdueTone},
			DueIn7:     views.Figure{Value: strconv.FormatInt(r.DueIn7, 10), URL: b.ftLink(base, "due", "7d")},
			Completion: views.Figure{Value: views.Percent(rate, ok), Hint: fmt.Sprintf("%d/%d", r.Completion.OnTime, r.Completion.Decided()), URL: b.ftLink(base, "due_from", from, "due_to", to)},
			Median:     views.Figure{Value: views.Days(r.MedianSeconds), Hint: fmt.Sprintf("n = %d", r.Closed), URL: b.ftLink(base, "state", "closed", "closed_from", from, "closed_to", to)},
			WontDo:     views.Figure{Value: views.Percent(wont, wok), URL: b.ftLink(base, "status", models.ActionWontDo, "closed_from", from, "closed_to", to)},
		})
	}
	return nil
}
