package views

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// insightPage is one tab of the Insights section.
type insightPage struct {
	Key, Label, Route string
}

// insightPages are the tabs, in order.
var insightPages = []insightPage{
	{"overview", "Overview", "insights.index"},
	{"over_time", "Over time", "insights.over_time"},
	{"weekdays", "Weekdays", "insights.weekdays"},
	{"heatmap", "Weekday × hour", "insights.heatmap"},
	{"durations", "Durations", "insights.durations"},
	{"components", "Components", "insights.components"},
	{"follow_through", "Follow-through", "insights.follow_through"},
	{"history", "Today in history", "insights.history"},
}

// FollowThroughInsightModel is the follow-through insight page: the
// action-item dashboard's figures for the insight filters.
type FollowThroughInsightModel struct {
	Frame     InsightsFrame
	Dashboard DashboardModel
}

// dateLabels name the range fields: the incidents' start for most pages,
// the period of due and closed items for follow-through.
func (f InsightsFrame) dateLabels() (string, string) {
	if f.Active == "follow_through" {
		return "Period from", "Period until"
	}
	return "Started from", "Started until"
}

// InsightsFrame is what every insight page shares: its tab, the common
// filters with their choices, and the time zone.
type InsightsFrame struct {
	Active  string
	Title   string
	Lede    string
	Filters Form
	Choices IncidentChoices
	Tags    []string
	// Zones are the time zone choices; Zone names the zone in use with its
	// current abbreviation.
	Zones []Option
	Zone  string
	Loc   *time.Location
	// Query is the common filters as a query string (for tab links);
	// Filtered is whether any filter is set.
	Query    string
	Filtered bool
	// Total counts the incidents in the scope.
	Total int64
	// Presets are quick date ranges (links keeping the other filters).
	Presets []Preset
	// Summary names the filters in words ("team Payments · from …");
	// Chips are the same filters, each a link that removes it.
	Summary string
	Chips   []FilterChip
}

// Preset is a quick date range.
type Preset struct {
	Label, URL string
	Current    bool
}

// Chart is one chart with its data source and downloads. The chart element
// carries the URL of its JSON (an API endpoint); static/js/insights.js
// fetches it and draws. The table beside it is rendered on the server
// from the same numbers.
type Chart struct {
	ID    string
	Kind  string // over-time, weekdays, heatmap, box, histogram, trend, components
	Title string
	Src   string // JSON
	CSV   string
	// Series picks part of the JSON (components: by_count or by_impact).
	Series string
	// Label describes the chart for screen readers (the table has the
	// numbers).
	Label string
}

func (c Chart) tableID() string { return c.ID + "-table" }

// ZoneOptions lists common zones plus the default and the current one.
func ZoneOptions(def, current string) []Option {
	seen := map[string]bool{}
	var out []Option
	add := func(z, label string) {
		if z != "" && !seen[z] {
			seen[z] = true
			out = append(out, Option{Value: z, Label: label})
		}
	}
	add(def, def+" (default)")
	add(current, current)
	for _, z := range commonZones {
		if _, err := time.LoadLocation(z); err == nil {
			add(z, z)
		}
	}
	return out
}

// OverviewModel is the Insights landing page: the headline figures.
type OverviewModel struct {
	Frame      InsightsFrame
	Weekdays   *WeekdayFigures
	Resolve    *DurationFigures
	Components *ComponentFigures
	History    []HistoryIncident
	Today      time.Time // midnight UTC
	OverTime   Chart
	Months     *OverTimeFigures
}

// OverTimeModel is the incidents-over-time page.
type OverTimeModel struct {
	Frame    InsightsFrame
	Interval string
	Data     *OverTimeFigures
	Chart    Chart
}

// WeekdaysModel is the weekday page.
type WeekdaysModel struct {
	Frame        InsightsFrame
	WeekdaysOnly bool
	Data         *WeekdayFigures
	Chart        Chart
}

// HeatmapModel is the weekday × hour page.
type HeatmapModel struct {
	Frame InsightsFrame
	Data  *HeatmapFigures
	Chart Chart
}

// DurationsModel is the durations page.
type DurationsModel struct {
	Frame  InsightsFrame
	Metric DurationMetricView
	// Metrics are the durations to choose from.
	Metrics   []Option
	Stats     []DurationFigures
	Histogram []HistogramBar
	Trend     []DurationMonthFigures
	Box       Chart
	Histo     Chart
	TrendC    Chart
}

// ComponentsModel is the components page.
type ComponentsModel struct {
	Frame    InsightsFrame
	Data     *ComponentFigures
	ByCount  Chart
	ByImpact Chart
	// CSVRepeats and CSVOverdue download the two tables without charts.
	CSVRepeats, CSVOverdue string
}

// HistoryModel is "today in incident history".
type HistoryModel struct {
	Frame     InsightsFrame
	Date      time.Time // the calendar day, midnight UTC
	Incidents []HistoryIncident
	CSV       string
	JSON      string
}

// SecondsValue is a number for a data attribute ("" when undefined).
func SecondsValue(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
}

// Fixed formats a float with n decimals.
func Fixed(v float64, n int) string { return strconv.FormatFloat(v, 'f', n, 64) }

// Signed formats a difference with its sign: "+3.1", "−2.0".
func Signed(v float64) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', 1, 64)
	if v < -0.05 {
		return "−" + s
	}
	if v > 0.05 {
		return "+" + s
	}
	return "0.0"
}

// StatOf formats a chi-square statistic.
func StatOf(t *ChiSquareView) string {
	if t == nil {
		return "—"
	}
	return strconv.FormatFloat(t.Statistic, 'f', 2, 64)
}

// PValueOf formats a p-value for a table cell.
func PValueOf(t *ChiSquareView) string {
	if t == nil {
		return "—"
	}
	return strings.TrimPrefix(strings.TrimPrefix(t.P, "p = "), "p ")
}

// heatLevel buckets a heatmap count into 0–5 for the table's shading
// (CSS classes, no inline styles).
func heatLevel(n, max int) string {
	if n == 0 || max == 0 {
		return "heat-0"
	}
	return "heat-" + strconv.Itoa(1+int(math.Min(4, math.Floor(float64(n)*5/float64(max+1)))))
}

// midnightShare is the share of incidents starting in the hour after
// local midnight (records that carry only a date start at 00:00).
func (m HeatmapModel) midnightShare() float64 {
	if m.Data == nil || m.Data.Total == 0 {
		return 0
	}
	n := 0
	for d := range m.Data.Cells {
		n += m.Data.Cells[d][0]
	}
	return float64(n) / float64(m.Data.Total)
}

func percent(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }

func hourLabel(h int) string { return fmt.Sprintf("%02d", h) }

// busiestCells names the busiest weekday-hours of a heatmap (all of them
// on a tie).
func (m HeatmapModel) busiestCells() string {
	if m.Data == nil || m.Data.Total == 0 {
		return ""
	}
	var names []string
	for d := range m.Data.Cells {
		for h := range m.Data.Cells[d] {
			if m.Data.Cells[d][h] == m.Data.Max {
				names = append(names, fmt.Sprintf("%s %02d:00–%02d:59", m.Data.Days[d], h, h))
			}
		}
	}
	if len(names) == 1 {
		return fmt.Sprintf("The busiest hour of the week is %s (%s).", names[0], Plural(m.Data.Max, "incident", "incidents"))
	}
	if len(names) > 4 {
		return fmt.Sprintf("%s of the week share the highest count (%s each).", Plural(len(names), "hour", "hours"), Plural(m.Data.Max, "incident", "incidents"))
	}
	return fmt.Sprintf("The busiest hours of the week are %s (%s each).", strings.Join(names[:len(names)-1], ", ")+" and "+names[len(names)-1], Plural(m.Data.Max, "incident", "incidents"))
}

// sparse reports whether the heatmap has too few incidents per cell for
// single cells to mean anything.
func (m HeatmapModel) sparse() bool { return m.Data != nil && m.Data.Total < 5*168 }

// dayTotal sums a heatmap row.
func dayTotal(row [24]int) int {
	n := 0
	for _, v := range row {
		n += v
	}
	return n
}

// hourTotal sums a heatmap column.
func hourTotal(h *HeatmapFigures, hour int) int {
	n := 0
	for d := range h.Cells {
		n += h.Cells[d][hour]
	}
	return n
}

// peakBucket is the over-time bucket with the most incidents.
func (m OverTimeModel) peakBucket() (OverTimeBucketView, bool) {
	var best OverTimeBucketView
	ok := false
	for _, b := range m.Data.Buckets {
		if !ok || b.Total > best.Total {
			best, ok = b, true
		}
	}
	return best, ok
}

func (m OverTimeModel) intervalNoun() string {
	if m.Interval == "week" {
		return "week"
	}
	return "month"
}

// severityShare describes the severity mix of an over-time series.
func severityShare(o *OverTimeFigures) string {
	if o == nil || o.Total == 0 {
		return ""
	}
	var parts []string
	for _, s := range o.Severities {
		if s.Total > 0 {
			parts = append(parts, fmt.Sprintf("%s %d (%.0f%%)", s.Name, s.Total, float64(s.Total)*100/float64(o.Total)))
		}
	}
	return strings.Join(parts, " · ")
}

func yearsAgo(n int) string { return Plural(n, "year", "years") + " ago" }

func itoa(n int) string { return strconv.Itoa(n) }
