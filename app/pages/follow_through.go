package pages

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// FollowThrough serves the managers' dashboard of action item follow-through and the burn-up pages.
type FollowThrough struct{ base }

// The manager dashboard: follow-through per team and per owner for a
// period, every figure linking to the list of items behind it.

// defaultPeriodDays is the dashboard's period when none is chosen.
const defaultPeriodDays = models.DefaultFollowThroughDays

// ftScope is a parsed dashboard scope with the form and title the
// dashboard shows for it.
type ftScope struct {
	web.FollowThroughScope
	Form  views.Form
	Label string
}

// parseFollowThroughScope reads a scope from v; the error is a database
// error only.
func (b base) parseFollowThroughScope(c echo.Context, v url.Values) (ftScope, error) {
	sc, err := b.FollowThroughScope(c, v)
	if err != nil {
		return ftScope{}, err
	}
	out := ftScope{FollowThroughScope: sc, Label: ftLabel(sc.Res)}
	out.Form = views.FormFrom(sc.Base).Set("from", sc.Scope.From.String()).Set("to", sc.Scope.To.String())
	return out, nil
}

// ftLabel names a scope: "All teams", a team, an owner (in a team), then
// the narrower selections.
func ftLabel(res *models.ResolvedFilter) string {
	label := "All teams"
	team, hasTeam := res.Item("team")
	if hasTeam {
		label = team.Name
	}
	if owner, ok := res.Item("owner"); ok {
		label = owner.Name
		if hasTeam {
			label += " in " + team.Name
		}
	}
	if comp, ok := res.Item("component"); ok {
		label += " · " + comp.Name
	}
	if sev, ok := res.Item("severity"); ok {
		label += " · " + sev.Name + " incidents"
	}
	if tag, ok := res.Item("tag"); ok {
		label += " · incidents tagged " + tag.Value
	}
	return label
}

// link is the list URL of the scope plus extra parameters.
func (b base) ftLink(base url.Values, kv ...string) string {
	w := web.CloneValues(base)
	for i := 0; i+1 < len(kv); i += 2 {
		w.Set(kv[i], kv[i+1])
	}
	return b.ActionsURL(w)
}

func (h FollowThrough) Dashboard(c echo.Context) error {
	ctx := c.Request().Context()
	sc, err := h.parseFollowThroughScope(c, c.QueryParams())
	if err != nil {
		return err
	}
	m := views.DashboardModel{Filter: sc.Form.WithErrors(sc.Errors, nil), ScopeLabel: sc.Label,
		Chips: web.FilterChips(sc.Res, h.Path("actions.dashboard"), sc.Res.Params)}
	if m.Teams, err = h.teamOptions(ctx); err != nil {
		return err
	}
	if m.Owners, err = h.userOptions(ctx, models.RoleMember); err != nil {
		return err
	}
	m.Presets = h.periodPresets(sc)
	page := h.Page(c, "Follow-through", "actions")
	page.Scripts = inlineChartScripts
	if len(sc.Errors) > 0 {
		for _, k := range models.FollowThroughFilters.Keys() {
			if msg, ok := sc.Errors[k]; ok {
				m.Errors = append(m.Errors, msg)
			}
		}
		return h.Render(c, http.StatusUnprocessableEntity, views.DashboardPage(page, m))
	}
	if err := h.computeDashboard(c, &m, sc); err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.DashboardPage(page, m))
}

// computeDashboard fills the figures of a valid scope: one owner's, or
// broken down by owner (a team) or by team (everything else).
func (b base) computeDashboard(c echo.Context, m *views.DashboardModel, sc ftScope) error {
	ctx := c.Request().Context()
	by := models.ByTeam
	switch {
	case sc.Scope.OwnerID != 0:
		by = ""
	case sc.Scope.TeamID != 0:
		by = models.ByOwner
	}
	var (
		f       *models.FollowThrough
		groups  []models.PostmortemBurnUp
		reviews []models.ReviewBurnUp
	)
	err := models.Parallel(b.DB,
		func() (err error) {
			if by == "" {
				f, err = models.ComputeFollowThrough(ctx, b.DB, sc.Scope)
			} else {
				f, err = models.ComputeFollowThroughBy(ctx, b.DB, sc.Scope, by)
			}
			return err
		},
		func() (err error) { groups, err = models.PostmortemBurnUps(ctx, b.DB, sc.Scope, 10); return err },
		func() (err error) { reviews, err = models.ReviewBurnUps(ctx, b.DB, sc.Scope, 10); return err },
	)
	if err != nil {
		return err
	}
	return b.fillDashboard(c, m, sc, f, groups, reviews)
}

// periodPresets are quick periods ending today, keeping team and owner.
func (b base) periodPresets(sc ftScope) []views.Preset {
	var out []views.Preset
	today := b.Today()
	for _, n := range []int{30, 90, 180, 365} {
		w := web.CloneValues(sc.Base)
		w.Set("days", strconv.Itoa(n))
		out = append(out, views.Preset{
			Label:   fmt.Sprintf("Last %d days", n),
			URL:     b.Path("actions.dashboard") + web.EncodeQuery(w),
			Current: sc.Scope.To == today && sc.Scope.From == today.AddDays(-(n-1)),
		})
	}
	return out
}

// The definitions shown next to each figure.
const (
	defOpen        = "Items open, in progress or blocked right now."
	defOverdue     = "Open items whose due date is before today."
	defDueSoon     = "Open items due from today through the next %d days."
	defCompletion  = "Of the items due in the period: done by the due date ÷ (done by the due date + done late + still open past the due date). Items not yet due and items closed as won't do are left out."
	defTimeToClose = "Time to close = closed − created, for items closed (done or won't do) in the period. An item closed before it was created (imported history) counts as 0."
	defWontDo      = "Items closed as won't do ÷ all items closed in the period."
)

func (b base) fillDashboard(c echo.Context, m *views.DashboardModel, sc ftScope, f *models.FollowThrough, groups []models.PostmortemBurnUp, reviews []models.ReviewBurnUp) error {
	ctx := c.Request().Context()
	base := sc.Base
	from, to := f.Scope.From.String(), f.Scope.To.String()
	m.Period = fmt.Sprintf("%s to %s (%s)", from, to, b.Location.String())
	m.ListURL = b.ftLink(base)
	q := url.Values{}
	for k, v := range base {
		q[k] = v
	}
	q.Set("from", from)
	q.Set("to", to)
	m.APIURL = b.Path("api.insights.follow_through") + web.EncodeQuery(q)
	overdueTone := ""
	if f.Overdue > 0 {
		overdueTone = "bad"
	}
	overdueHint := "none open"
	if f.Open > 0 {
		overdueHint = fmt.Sprintf("%.0f%% of open items", 100*float64(f.Overdue)/float64(f.Open))
	}
	m.Headline = []views.Figure{
		{Label: "Open", Value: strconv.FormatInt(f.Open, 10), URL: b.ftLink(base, "state", "open"), Definition: defOpen, TestID: "fig-open"},
		{Label: "Overdue", Value: strconv.FormatInt(f.Overdue, 10), Hint: overdueHint, URL: b.ftLink(base, "due", "overdue"), Definition: defOverdue, Tone: overdueTone, TestID: "fig-overdue"},
		{Label: "Due within 7 days", Value: strconv.FormatInt(f.DueIn7, 10), URL: b.ftLink(base, "due", "7d"), Definition: fmt.Sprintf(defDueSoon, 7), TestID: "fig-due7"},
		{Label: "Due within 30 days", Value: strconv.FormatInt(f.DueIn30, 10), URL: b.ftLink(base, "due", "30d"), Definition: fmt.Sprintf(defDueSoon, 30), TestID: "fig-due30"},
	}

	cp := f.Completion
	rate, ok := cp.Rate()
	tone := ""
	if ok {
		tone = "ok"
		if rate < 0.5 {
			tone = "bad"
		} else if rate < 0.8 {
			tone = "warn"
		}
	}
	dueLink := func(kv ...string) string {
		return b.ftLink(base, append([]string{"due_from", from, "due_to", to}, kv...)...)
	}
	m.Completion = views.Figure{Label: "Completion rate", Value: views.Percent(rate, ok),
		Hint: fmt.Sprintf("%d of %d items due in the period were done on time", cp.OnTime, cp.Decided()),
		URL:  dueLink(), Definition: defCompletion, Tone: tone, TestID: "fig-completion"}
	total := float64(cp.Due)
	share := func(n int64) float64 {
		if total == 0 {
			return 0
		}
		return float64(n) / total
	}
	m.Bars = []views.Bar{
		{Label: "Done by the due date", Count: cp.OnTime, Share: share(cp.OnTime), Class: "seg-ok", URL: dueLink("outcome", models.OutcomeOnTime)},
		{Label: "Done late", Count: cp.Late, Share: share(cp.Late), Class: "seg-warn", URL: dueLink("outcome", models.OutcomeLate)},
		{Label: "Open past the due date", Count: cp.OpenOverdue, Share: share(cp.OpenOverdue), Class: "seg-bad", URL: dueLink("outcome", models.OutcomeOpenOverdue)},
		{Label: "Open, not yet due", Count: cp.NotYetDue, Share: share(cp.NotYetDue), Class: "seg-info", URL: dueLink("outcome", models.OutcomeNotYetDue)},
		{Label: "Won't do", Count: cp.WontDo, Share: share(cp.WontDo), Class: "seg-muted", URL: dueLink("status", models.ActionWontDo)},
	}

	cl := f.Closing
	closedLink := b.ftLink(base, "state", "closed", "closed_from", from, "closed_to", to)
	n := fmt.Sprintf("n = %d closed", cl.Closed)
	wont, wok := cl.WontDoShare()
	m.Closing = []views.Figure{
		{Label: "Median time to close", Value: views.Days(cl.MedianSeconds), Hint: n, URL: closedLink, Definition: defTimeToClose, TestID: "fig-median"},
		{Label: "p90 time to close", Value: views.Days(cl.P90Seconds), Hint: "9 in 10 close faster", URL: closedLink, TestID: "fig-p90"},
		{Label: "Mean time to close", Value: views.Days(cl.MeanSeconds), Hint: n, URL: closedLink, TestID: "fig-mean"},
		{Label: "Closed as won't do", Value: views.Percent(wont, wok), Hint: fmt.Sprintf("%d of %d closed", cl.WontDo, cl.Closed),
			URL: b.ftLink(base, "status", models.ActionWontDo, "closed_from", from, "closed_to", to), Definition: defWontDo, TestID: "fig-wontdo"},
	}
	for _, bk := range f.Aging {
		if bk.Count > m.AgingMax {
			m.AgingMax = bk.Count
		}
	}
	for _, bk := range f.Aging {
		w := 0.0
		if m.AgingMax > 0 {
			w = float64(bk.Count) / float64(m.AgingMax)
		}
		m.Aging = append(m.Aging, views.Bar{Label: bk.Label, Count: bk.Count, Share: w, Class: "seg-brand", URL: b.ftLink(base, "age", bk.Key)})
	}

	chart := views.LineChart{Kind: "line", YName: "items"}
	openSeries := views.LineSeries{Name: "Open", Color: "--brand", Area: true}
	overSeries := views.LineSeries{Name: "Overdue", Color: "--bad", Area: true}
	for _, p := range f.Trend {
		label := p.Day.Format("2 Jan 2006")
		row := views.TrendRow{Label: label, Open: p.Open, Overdue: p.Overdue}
		if p.Live {
			row.Label, label = "Now", "now"
			row.OpenURL, row.OverdueURL = b.ftLink(base, "state", "open"), b.ftLink(base, "due", "overdue")
		} else {
			row.OpenURL, row.OverdueURL = b.ftLink(base, "open_on", p.Day.String()), b.ftLink(base, "overdue_on", p.Day.String())
		}
		m.Trend = append(m.Trend, row)
		chart.X = append(chart.X, label)
		openSeries.Data = append(openSeries.Data, p.Open)
		overSeries.Data = append(overSeries.Data, p.Overdue)
	}
	chart.Series = []views.LineSeries{openSeries, overSeries}
	m.TrendChart = chart.JSON()

	for _, sv := range f.BySeverity {
		name := sv.Name
		sevParam := sv.Name
		if sv.SeverityID == nil {
			name, sevParam = "No severity", "none"
		}
		row := views.SeverityRow{Name: name, Color: sv.Color, Items: sv.Items, Open: sv.Open,
			ItemsURL: b.ftLink(base, "postmortem", "1", "severity", sevParam, "created_from", from, "created_to", to)}
		for _, w := range sv.Within {
			r, ok := w.Rate()
			d := strconv.Itoa(w.Days)
			row.Cells = append(row.Cells, views.WithinCell{Days: w.Days, Rate: views.Percent(r, ok), Closed: w.Closed, Eligible: w.Eligible,
				ClosedURL:   b.ftLink(base, "postmortem", "1", "severity", sevParam, "created_from", from, "created_to", to, "min_age", d, "within", d),
				EligibleURL: b.ftLink(base, "postmortem", "1", "severity", sevParam, "created_from", from, "created_to", to, "min_age", d)})
		}
		m.Severity = append(m.Severity, row)
	}

	for _, g := range groups {
		m.BurnUps = append(m.BurnUps, burnUpRow(g.BurnUpCounts, views.BurnUpRow{
			Key: g.Key(), Title: g.IncidentTitle, Severity: g.SeverityName, SeverityColor: g.SeverityColor,
			URL:         b.Path("actions.burnup") + "?" + url.Values{"incident": {g.Key()}}.Encode(),
			ListURL:     b.ftLink(base, "incident", g.Key(), "state", "open"),
			IncidentURL: b.Path("incidents.show", g.Key()),
		}))
	}
	for _, r := range reviews {
		id := strconv.FormatInt(r.ReviewID, 10)
		m.ReviewBurnUps = append(m.ReviewBurnUps, burnUpRow(r.BurnUpCounts, views.BurnUpRow{
			Key: r.ComponentName, Title: r.ReviewTitle,
			URL:         b.Path("actions.burnup") + "?" + url.Values{"review": {id}}.Encode(),
			ListURL:     b.ftLink(base, "review", id, "state", "open"),
			IncidentURL: b.Path("reviews.show", r.ReviewID),
		}))
	}
	return b.fillBreakdown(ctx, m, sc, f)
}

func burnUpRow(c models.BurnUpCounts, r views.BurnUpRow) views.BurnUpRow {
	r.Items, r.Done, r.WontDo, r.Open, r.Overdue = c.Items, c.Done, c.WontDo, c.Open, c.Overdue
	if scope := c.Items - c.WontDo; scope > 0 {
		r.Percent = int(100 * c.Done / scope)
	}
	return r
}

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

// burnUpPage is the weekly burn-up of one postmortem's action items
// (?incident=INC-12) or one review's (?review=7).
func (h FollowThrough) BurnUp(c echo.Context) error {
	ctx := c.Request().Context()
	q := models.ActionQuery{Now: h.Now(), Loc: h.Location}
	m := views.BurnUpModel{DashboardURL: h.Path("actions.dashboard")}
	switch {
	case c.QueryParam("incident") != "":
		inc, err := models.GetIncidentByKey(ctx, h.DB, c.QueryParam("incident"))
		if err != nil {
			return err
		}
		q.IncidentID = inc.ID
		m.Kind, m.Title, m.Key, m.IncidentURL = "postmortem", inc.Title, inc.Key(), h.Path("incidents.show", inc.Key())
		m.ListURL = h.ActionsURL(url.Values{"incident": {inc.Key()}})
	case c.QueryParam("review") != "":
		id, err := strconv.ParseInt(c.QueryParam("review"), 10, 64)
		if err != nil {
			return models.ErrNotFound
		}
		r, err := models.GetReview(ctx, h.DB, id)
		if err != nil {
			return err
		}
		q.ReviewID = r.ID
		m.Kind, m.Title, m.Key, m.IncidentURL = "review", r.Title, "Review", h.Path("reviews.show", r.ID)
		m.ListURL = h.ActionsURL(url.Values{"review": {strconv.FormatInt(r.ID, 10)}})
	default:
		return models.ErrNotFound
	}
	pts, err := models.BurnUp(ctx, h.DB, q)
	if err != nil {
		return err
	}
	chart := views.LineChart{Kind: "line", YName: "items"}
	scope := views.LineSeries{Name: "Scope (items minus won't do)", Color: "--muted", Step: true}
	done := views.LineSeries{Name: "Done", Color: "--ok", Area: true, Step: true}
	for _, p := range pts {
		label := p.Day.Format("2 Jan 2006")
		if p.Live {
			label = "Now"
		}
		m.Rows = append(m.Rows, views.BurnUpPointRow{Label: label, Created: p.Created, Scope: p.Scope(), Done: p.Done,
			WontDo: p.WontDo, Remaining: p.Scope() - p.Done})
		chart.X = append(chart.X, label)
		scope.Data = append(scope.Data, p.Scope())
		done.Data = append(done.Data, p.Done)
	}
	if n := len(pts); n > 0 {
		last := pts[n-1]
		m.Items, m.Done, m.WontDo, m.Open = last.Created, last.Done, last.WontDo, last.Created-last.Done-last.WontDo
	}
	chart.Series = []views.LineSeries{scope, done}
	m.Chart = chart.JSON()
	page := h.Page(c, "Burn-up: "+m.Title, "actions")
	page.Scripts = inlineChartScripts
	return h.Render(c, http.StatusOK, views.BurnUpPage(page, m))
}
