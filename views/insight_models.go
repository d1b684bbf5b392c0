package views

import "time"

// The figures the insight pages show, built by the handlers from the
// aggregations (app/insight_views.go). Durations are in seconds, NaN when
// undefined.

// WeekdayFigures count incidents per local weekday, with the test of an
// even spread.
type WeekdayFigures struct {
	// Sentence says what the counts and the test mean, in words.
	Sentence string
	Total    int
	// Excluded counts the weekend incidents left out (Monday to Friday
	// only).
	Excluded int
	Days     []WeekdayCount
	// Test is nil when there is nothing to test.
	Test *ChiSquareView
}

// WeekdayCount is one day of the weekday figures.
type WeekdayCount struct {
	Day      string // Monday
	Count    int
	Expected float64 // under an even spread
}

// ChiSquareView is a chi-square goodness-of-fit test as a page reports it.
type ChiSquareView struct {
	Statistic float64
	// P is the p-value in words: "p = 0.012", "p < 0.001".
	P string
	// ExpectedPerDay is the count every day would have under an even
	// spread.
	ExpectedPerDay float64
}

// OverTimeFigures count incidents per week or month, stacked by severity.
type OverTimeFigures struct {
	Interval   string // week or month
	Total      int
	Severities []SeriesTotal
	Buckets    []OverTimeBucketView
}

// SeriesTotal is one stack of the over-time figures: a severity, or
// "Unclassified".
type SeriesTotal struct {
	Name  string
	Total int
}

// OverTimeBucketView is one week or month.
type OverTimeBucketView struct {
	Key   string // its first day, 2026-03-02
	Label string // "Mar 2026" or "2 Mar 2026"
	Total int
	// Counts align with OverTimeFigures.Severities.
	Counts []int
}

// HeatmapFigures count incidents by local weekday and hour.
type HeatmapFigures struct {
	Total int
	Max   int
	// Days name the rows of Cells (Monday first); Cells[d][h] counts the
	// incidents that started on day d between h:00 and h:59.
	Days  []string
	Cells [7][24]int
}

// DurationMetricView names one of the incident durations.
type DurationMetricView struct {
	Key        string // time_to_resolve
	Name       string // Time to resolve
	Definition string // resolved − started
}

// DurationFigures summarise one duration over the scope, in seconds.
// Incidents without the timestamps it needs are counted in Undefined.
type DurationFigures struct {
	Metric                              DurationMetricView
	Count                               int
	Undefined                           int
	Min, Q1, Median, Q3, P90, Max, Mean float64
}

// HistogramBar is one bar of a duration histogram.
type HistogramBar struct {
	Label string // "5–15 min"
	Count int
}

// DurationMonthFigures are one local month of a duration's trend.
type DurationMonthFigures struct {
	Month  time.Time // its first day, midnight UTC
	Count  int
	Median float64
	P90    float64
	Mean   float64
}

// ComponentFigures answer "which components hurt most?" for a scope.
type ComponentFigures struct {
	ByCount  []ComponentIncidents
	ByImpact []ComponentIncidents
	Repeats  []ComponentIncidents
	Overdue  []OverdueComponentView
	// ImpactDefinition says how customer-impact time is measured.
	ImpactDefinition string
}

// ComponentIncidents are one component's incident figures in a scope.
type ComponentIncidents struct {
	Name, Slug string
	Team       string // "" without a team
	Tier       int
	Incidents  int
	// ImpactSeconds sums the customer-impact time of ImpactIncidents
	// incidents.
	ImpactSeconds   float64
	ImpactIncidents int
	Repeats         int
	LastStarted     *time.Time
}

// OverdueComponentView is a component whose review is overdue or that
// was never reviewed, with its incidents in the scope.
type OverdueComponentView struct {
	ComponentIncidents
	ReviewKind  string // overdue or never
	ReviewLabel string // "Overdue by 3 days"
}

// HistoryIncident is an incident that started on a calendar day in an
// earlier year.
type HistoryIncident struct {
	Incident IncidentRow
	YearsAgo int
}
