package pages

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// The definitions shown next to each figure.
const (
	defOpen        = "Items open, in progress or blocked right now."
	defOverdue     = "Open items whose due date is before today."
	defDueSoon     = "Open items due from today through the next %s."
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
		{Label: "Due within 7 days", Value: strconv.FormatInt(f.DueIn7, 10), URL: b.ftLink(base, "due", "7d"), Definition: fmt.Sprintf(defDueSoon, views.Plural(7, "day", "days")), TestID: "fig-due7"},
		{Label: "Due within 30 days", Value: strconv.FormatInt(f.DueIn30, 10), URL: b.ftLink(base, "due", "30d"), Definition: fmt.Sprintf(defDueSoon, views.Plural(30, "day", "days")), TestID: "fig-due30"},
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
		Hint: fmt.Sprintf("%s of %s due in the period %s done on time", views.FormatCount(int64(cp.OnTime)), views.Plural(cp.Decided(), "item", "items"), views.PluralNoun(cp.OnTime, "was", "were")),
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
