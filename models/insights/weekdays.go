package insights

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// WeekOrder lists the days Monday first, the way the pages show them.
// Each call returns a fresh copy.
func WeekOrder() []time.Weekday { return slices.Clone(weekOrder) }

var weekOrder = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// HourOfWeekCounts counts the scope's incidents by the local hour of the
// week they started in: index weekday*24 + hour, with Sunday = 0 as in
// time.Weekday. The bucketing runs in SQL.
func HourOfWeekCounts(ctx context.Context, db *gorm.DB, s Scope) ([168]int, error) {
	var out [168]int
	lt, err := s.newLocalTime(ctx, db)
	if err != nil {
		return out, err
	}
	expr, args := lt.HourOfWeek("incidents.started_at")
	var rows []struct {
		How int
		N   int
	}
	err = s.incidentsVia(ctx, db, insightsIndex).Select(expr+" AS how, COUNT(*) AS n", args...).Group("how").Scan(&rows).Error
	if err != nil {
		return out, fmt.Errorf("models: incidents by hour of week: %w", models.TranslateError(err))
	}
	for _, r := range rows {
		if r.How >= 0 && r.How < 168 {
			out[r.How] += r.N
		}
	}
	return out, nil
}

// Heatmap is the count of incidents by local weekday and hour.
type Heatmap struct {
	Zone  string
	Total int
	// Cells[d][h] counts incidents that started on day d (WeekOrder:
	// Monday first) between h:00 and h:59 local time.
	Cells [7][24]int
	Max   int
}

// IncidentHeatmap counts the scope's incidents by weekday and hour.
func IncidentHeatmap(ctx context.Context, db *gorm.DB, s Scope) (*Heatmap, error) {
	how, err := HourOfWeekCounts(ctx, db, s)
	if err != nil {
		return nil, err
	}
	h := &Heatmap{Zone: s.ZoneName()}
	for i, wd := range weekOrder {
		for hour := 0; hour < 24; hour++ {
			n := how[int(wd)*24+hour]
			h.Cells[i][hour] = n
			h.Total += n
			h.Max = max(h.Max, n)
		}
	}
	return h, nil
}

// WeekdayCount is one day of the weekday insight.
type WeekdayCount struct {
	Weekday  time.Weekday
	Count    int
	Expected float64 // under an even spread; 0 without a test
}

// Weekdays counts incidents per local weekday and tests whether they
// are spread evenly (chi-square goodness of fit against a uniform spread).
type Weekdays struct {
	Zone string
	// WeekdaysOnly restricts the test to Monday–Friday; Excluded counts
	// the weekend incidents left out.
	WeekdaysOnly bool
	Excluded     int
	Total        int
	Days         []WeekdayCount
	// Test is nil when there is nothing to test (no incidents).
	Test *models.ChiSquareResult
}

// IncidentWeekdays counts the scope's incidents by local weekday, Monday
// first, and runs the chi-square test on the counts.
func IncidentWeekdays(ctx context.Context, db *gorm.DB, s Scope, weekdaysOnly bool) (*Weekdays, error) {
	how, err := HourOfWeekCounts(ctx, db, s)
	if err != nil {
		return nil, err
	}
	var byDay [7]int
	for i, n := range how {
		byDay[i/24] += n
	}
	return WeekdaysOf(s.ZoneName(), byDay, weekdaysOnly), nil
}

// WeekdaysOf builds the weekday insight from counts indexed by
// time.Weekday (Sunday = 0).
func WeekdaysOf(zone string, byDay [7]int, weekdaysOnly bool) *Weekdays {
	w := &Weekdays{Zone: zone, WeekdaysOnly: weekdaysOnly}
	var counts []int
	for _, wd := range weekOrder {
		if weekdaysOnly && (wd == time.Saturday || wd == time.Sunday) {
			w.Excluded += byDay[wd]
			continue
		}
		w.Days = append(w.Days, WeekdayCount{Weekday: wd, Count: byDay[wd]})
		counts = append(counts, byDay[wd])
		w.Total += byDay[wd]
	}
	r, err := models.ChiSquareUniform(counts)
	if err == nil {
		w.Test = &r
		for i := range w.Days {
			w.Days[i].Expected = r.Expected[i]
		}
	}
	return w
}

// Busiest returns the days with the most incidents (more than one on a
// tie).
func (w *Weekdays) Busiest() []WeekdayCount {
	var out []WeekdayCount
	for _, d := range w.Days {
		switch {
		case len(out) == 0 || d.Count > out[0].Count:
			out = []WeekdayCount{d}
		case d.Count == out[0].Count:
			out = append(out, d)
		}
	}
	return out
}

// MinExpected is the smallest expected count (the chi-square test is a
// rough guide when it is below 5).
func (w *Weekdays) MinExpected() float64 {
	if w.Test == nil || len(w.Test.Expected) == 0 {
		return 0
	}
	m := math.Inf(1)
	for _, e := range w.Test.Expected {
		m = min(m, e)
	}
	return m
}

// Sentence says in plain words what the test shows, naming n and p. It
// never claims more than the test supports: at p ≥ 0.05 the days are "not
// significantly different"; below, the spread is "unlikely to be chance",
// which is a statement about the whole week, not about one day.
func (w *Weekdays) Sentence() string {
	others := "other days"
	if w.WeekdaysOnly {
		others = "other weekdays"
	}
	if w.Total == 0 || w.Test == nil {
		return "No incidents in this selection, so there is no pattern to test."
	}
	busy := w.Busiest()
	var s string
	if !w.Test.Significant() {
		if len(busy) == len(w.Days) {
			s = fmt.Sprintf("Every day has the same count, so no day stands out from %s, %s, n = %d.", others, FormatP(w.Test.PValue), w.Total)
		} else {
			s = fmt.Sprintf("%s are not significantly different from %s, %s, n = %d. The spread over the week is consistent with chance.",
				joinDays(busy), others, FormatP(w.Test.PValue), w.Total)
		}
	} else {
		s = fmt.Sprintf("The spread over the week is unlikely to be chance (χ² = %s, df = %d, %s, n = %d). %s the most incidents: %d against %s expected.",
			trimFloat(w.Test.Statistic, 2), w.Test.DF, FormatP(w.Test.PValue), w.Total,
			joinDays(busy)+" have", busy[0].Count, trimFloat(busy[0].Expected, 1))
	}
	if w.MinExpected() < 5 {
		s += " With fewer than 5 incidents expected per day the test is only a rough guide."
	}
	return s
}

func plural2(d time.Weekday) string { return d.String() + "s" }

func joinDays(ds []WeekdayCount) string {
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = plural2(d.Weekday)
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// FormatP writes a p-value for people: "p = 0.41", "p = 0.012",
// "p < 0.001".
func FormatP(p float64) string {
	switch {
	case math.IsNaN(p):
		return "p undefined"
	case p < 0.001:
		return "p < 0.001"
	case p >= 0.995:
		return "p = " + strconv.FormatFloat(p, 'f', 2, 64)
	}
	// Two significant digits, more when rounding would carry the value
	// across the 5% line (0.0496 must never read "0.05").
	s := ""
	for digits := 2; digits <= 6; digits++ {
		s = strconv.FormatFloat(p, 'g', digits, 64)
		if r, _ := strconv.ParseFloat(s, 64); (r < 0.05) == (p < 0.05) {
			break
		}
	}
	return "p = " + s
}

func trimFloat(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
