package pages

import (
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/insights"
	"github.com/debrief-sre/debrief/views"
)

// View models of the insight pages: the aggregations of models/insight_*.go
// as the tables show them.

// overviewData are the aggregations the insights overview shows.
type overviewData struct {
	Weekdays   *insights.Weekdays
	Resolve    *insights.DurationStats
	Components *insights.Components
	History    []insights.HistoryIncident
	Months     *insights.OverTime
}

// overviewView is the insights overview for frame f on day today.
func overviewView(f views.InsightsFrame, today models.Date, d overviewData) views.OverviewModel {
	return views.OverviewModel{
		Frame: f, Today: today.Time(), Weekdays: weekdayFigures(d.Weekdays), Resolve: durationFigures(d.Resolve),
		Components: componentFigures(d.Components), History: historyIncidents(d.History), Months: overTimeFigures(d.Months),
	}
}

// durationsData are the aggregations of the durations page.
type durationsData struct {
	Stats     []*insights.DurationStats
	Histogram []insights.HistogramBin
	Trend     []insights.DurationMonth
}

// durationsView is the durations page for metric.
func durationsView(f views.InsightsFrame, metric insights.DurationMetric, d durationsData) views.DurationsModel {
	m := views.DurationsModel{Frame: f, Metric: durationMetricView(metric), Metrics: durationMetricOptions()}
	for _, st := range d.Stats {
		if st != nil {
			m.Stats = append(m.Stats, *durationFigures(st))
		}
	}
	for _, b := range d.Histogram {
		m.Histogram = append(m.Histogram, views.HistogramBar{Label: b.Label, Count: b.Count})
	}
	for _, mo := range d.Trend {
		m.Trend = append(m.Trend, views.DurationMonthFigures{Month: mo.Month.Time(), Count: mo.Count, Median: mo.Median, P90: mo.P90, Mean: mo.Mean})
	}
	return m
}

func weekdayFigures(w *insights.Weekdays) *views.WeekdayFigures {
	if w == nil {
		return nil
	}
	v := &views.WeekdayFigures{Sentence: w.Sentence(), Total: w.Total, Excluded: w.Excluded}
	for _, d := range w.Days {
		v.Days = append(v.Days, views.WeekdayCount{Day: d.Weekday.String(), Count: d.Count, Expected: d.Expected})
	}
	if t := w.Test; t != nil {
		v.Test = &views.ChiSquareView{Statistic: t.Statistic, P: insights.FormatP(t.PValue)}
		if len(t.Expected) > 0 {
			v.Test.ExpectedPerDay = t.Expected[0]
		}
	}
	return v
}

func overTimeFigures(o *insights.OverTime) *views.OverTimeFigures {
	if o == nil {
		return nil
	}
	v := &views.OverTimeFigures{Interval: o.Interval, Total: o.Total}
	for _, s := range o.Severities {
		v.Severities = append(v.Severities, views.SeriesTotal{Name: s.Name, Total: s.Total})
	}
	for _, b := range o.Buckets {
		v.Buckets = append(v.Buckets, views.OverTimeBucketView{Key: b.Start.String(), Label: b.Label(o.Interval), Total: b.Total, Counts: b.Counts})
	}
	return v
}

func heatmapFigures(h *insights.Heatmap) *views.HeatmapFigures {
	if h == nil {
		return nil
	}
	v := &views.HeatmapFigures{Total: h.Total, Max: h.Max, Cells: h.Cells}
	for _, d := range insights.WeekOrder() {
		v.Days = append(v.Days, d.String())
	}
	return v
}

func durationMetricView(m insights.DurationMetric) views.DurationMetricView {
	return views.DurationMetricView{Key: m.Key, Name: m.Name, Definition: m.Definition}
}

// durationMetricOptions are the durations to choose from.
func durationMetricOptions() []views.Option {
	out := make([]views.Option, 0, len(insights.DurationMetrics()))
	for _, m := range insights.DurationMetrics() {
		out = append(out, views.Option{Value: m.Key, Label: m.Name})
	}
	return out
}

func durationFigures(st *insights.DurationStats) *views.DurationFigures {
	if st == nil {
		return nil
	}
	return &views.DurationFigures{Metric: durationMetricView(st.Metric), Count: st.Count, Undefined: st.Undefined,
		Min: st.Min, Q1: st.Q1, Median: st.Median, Q3: st.Q3, P90: st.P90, Max: st.Max, Mean: st.Mean}
}

func componentFigures(c *insights.Components) *views.ComponentFigures {
	if c == nil {
		return nil
	}
	v := &views.ComponentFigures{ByCount: componentIncidents(c.ByCount), ByImpact: componentIncidents(c.ByImpact),
		Repeats: componentIncidents(c.Repeats), ImpactDefinition: insights.ImpactDefinition}
	for _, o := range c.Overdue {
		v.Overdue = append(v.Overdue, views.OverdueComponentView{ComponentIncidents: componentIncidentsOf(o.ComponentIncidentStats),
			ReviewKind: o.State.Kind, ReviewLabel: o.State.Label})
	}
	return v
}

func componentIncidents(list []insights.ComponentIncidentStats) []views.ComponentIncidents {
	out := make([]views.ComponentIncidents, 0, len(list))
	for _, st := range list {
		out = append(out, componentIncidentsOf(st))
	}
	return out
}

func componentIncidentsOf(st insights.ComponentIncidentStats) views.ComponentIncidents {
	v := views.ComponentIncidents{Name: st.Component.Name, Slug: st.Component.Slug, Tier: st.Component.Tier,
		Incidents: st.Incidents, ImpactSeconds: st.ImpactSeconds, ImpactIncidents: st.ImpactIncidents,
		Repeats: st.Repeats, LastStarted: st.LastStarted}
	if st.Component.Team != nil {
		v.Team = st.Component.Team.Name
	}
	return v
}

func historyIncidents(list []insights.HistoryIncident) []views.HistoryIncident {
	out := make([]views.HistoryIncident, 0, len(list))
	for i := range list {
		out = append(out, views.HistoryIncident{Incident: incidentRow(&list[i].Incident), YearsAgo: list[i].YearsAgo})
	}
	return out
}
