package insights_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
	"github.com/debrief-sre/debrief/models/importing"
	"github.com/debrief-sre/debrief/models/insights"
)

func mkIncidentAt(t *testing.T, db *gorm.DB, title, started string) *models.Incident {
	t.Helper()
	st, err := time.Parse(time.RFC3339, started)
	if err != nil {
		t.Fatal(err)
	}
	inc, err := models.CreateIncident(ctx, db, models.SystemActor("test"), models.IncidentInput{Title: title, StartedAt: &st, Status: models.StatusResolved})
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

// TestWeekdayAndHourAcrossDST pins weekday and hour buckets written out by
// hand around DST changes and a day boundary, in three zones.
func TestWeekdayAndHourAcrossDST(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		for _, s := range []string{
			"2024-03-31T00:30:00Z", // Berlin: Sun 01:30 CET; New York: Sat 20:30 EDT; UTC: Sun 00:30
			"2024-03-31T01:30:00Z", // Berlin: Sun 03:30 CEST (02:xx does not exist that night)
			"2024-10-27T00:30:00Z", // Berlin: Sun 02:30 CEST
			"2024-10-27T01:30:00Z", // Berlin: Sun 02:30 CET (02:xx happens twice)
			"2024-03-29T23:30:00Z", // Berlin: Sat 00:30 CET; UTC: Fri 23:30; New York: Fri 19:30 EDT
			"2024-11-03T05:30:00Z", // New York: Sun 01:30 EDT
			"2024-11-03T06:30:00Z", // New York: Sun 01:30 EST (the repeated hour)
			"2024-03-10T07:30:00Z", // New York: Sun 03:30 EDT; Berlin: Sun 08:30 CET
		} {
			mkIncidentAt(t, db, "At "+s, s)
		}
		type cell struct {
			day  time.Weekday
			hour int
			n    int
		}
		for zone, want := range map[string][]cell{
			"Europe/Berlin": {
				{time.Sunday, 1, 1}, {time.Sunday, 3, 1}, {time.Sunday, 2, 2}, {time.Saturday, 0, 1},
				{time.Sunday, 6, 1}, {time.Sunday, 7, 1}, {time.Sunday, 8, 1},
			},
			"America/New_York": {
				// 31 March and 27 October 00:30Z are both Saturday 20:30
				// EDT, 01:30Z is 21:30; 3 November 05:30Z and 06:30Z are
				// both 01:30, once EDT and once EST.
				{time.Saturday, 20, 2}, {time.Saturday, 21, 2}, {time.Friday, 19, 1}, {time.Sunday, 1, 2}, {time.Sunday, 3, 1},
			},
			"UTC": {
				{time.Sunday, 0, 2}, {time.Sunday, 1, 2}, {time.Friday, 23, 1}, {time.Sunday, 5, 1}, {time.Sunday, 6, 1}, {time.Sunday, 7, 1},
			},
		} {
			got, err := insights.HourOfWeekCounts(ctx, db, insights.Scope{Location: mustLoc(t, zone)})
			if err != nil {
				t.Fatal(err)
			}
			var exp [168]int
			for _, c := range want {
				exp[int(c.day)*24+c.hour] += c.n
			}
			if got != exp {
				for i := range got {
					if got[i] != exp[i] {
						t.Errorf("%s %s %02d:00: got %d, want %d", zone, time.Weekday(i/24), i%24, got[i], exp[i])
					}
				}
			}
		}
		// Weekdays in Berlin: Saturday 1 (the Friday-night incident), the
		// rest on Sundays.
		w, err := insights.IncidentWeekdays(ctx, db, insights.Scope{Location: mustLoc(t, "Europe/Berlin")}, false)
		if err != nil {
			t.Fatal(err)
		}
		if w.Days[4].Count != 0 || w.Days[5].Count != 1 || w.Days[6].Count != 7 || w.Zone != "Europe/Berlin" {
			t.Fatalf("Berlin weekdays: %+v", w.Days)
		}
	})
}

// TestWeekdayChiSquareKnownValues: Mon–Sun 20, 10, 10, 10, 10, 10, 0 give
// χ² = (10² + 10²) / 10 = 20 with 6 degrees of freedom, whose upper tail
// has the closed form e^(−10)·(1 + 10 + 10²/2) = 61·e^(−10) ≈ 0.00277.
func TestWeekdayChiSquareKnownValues(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		// 2024-01-01 was a Monday.
		for d, n := range []int{20, 10, 10, 10, 10, 10, 0} {
			for i := 0; i < n; i++ {
				mkIncidentAt(t, db, "Known", time.Date(2024, 1, 1+d+7*i, 12, 0, 0, 0, time.UTC).Format(time.RFC3339))
			}
		}
		w, err := insights.IncidentWeekdays(ctx, db, insights.Scope{}, false)
		if err != nil {
			t.Fatal(err)
		}
		want := 61 * math.Exp(-10)
		if w.Total != 70 || w.Test.DF != 6 || math.Abs(w.Test.Statistic-20) > 1e-12 || math.Abs(w.Test.PValue-want) > 1e-12 {
			t.Fatalf("n=%d df=%d χ²=%v p=%v, want 70, 6, 20, %v", w.Total, w.Test.DF, w.Test.Statistic, w.Test.PValue, want)
		}
		for _, d := range w.Days {
			if d.Expected != 10 {
				t.Fatalf("expected %v on %v", d.Expected, d.Weekday)
			}
		}
		s := w.Sentence()
		if !strings.Contains(s, "unlikely to be chance") || !strings.Contains(s, "p = 0.0028") || !strings.Contains(s, "n = 70") ||
			!strings.Contains(s, "Mondays have the most incidents: 20 against 10 expected") {
			t.Fatalf("sentence: %s", s)
		}
		// Monday–Friday only: 20, 10, 10, 10, 10 against 12 expected give
		// χ² = (8² + 4·2²) / 12 = 80/12 with 4 degrees of freedom, whose
		// upper tail is e^(−x/2)·(1 + x/2).
		w, err = insights.IncidentWeekdays(ctx, db, insights.Scope{}, true)
		if err != nil {
			t.Fatal(err)
		}
		x := 80.0 / 12
		p := math.Exp(-x/2) * (1 + x/2)
		if w.Total != 60 || w.Excluded != 10 || w.Test.DF != 4 || math.Abs(w.Test.Statistic-x) > 1e-12 || math.Abs(w.Test.PValue-p) > 1e-12 {
			t.Fatalf("weekdays only: n=%d excl=%d df=%d χ²=%v p=%v, want 60, 10, 4, %v, %v", w.Total, w.Excluded, w.Test.DF, w.Test.Statistic, w.Test.PValue, x, p)
		}
		if s := w.Sentence(); !strings.Contains(s, "Mondays are not significantly different from other weekdays, p = 0.15, n = 60") {
			t.Fatalf("weekdays-only sentence: %s", s)
		}
	})
}

// TestWeekdaySentenceIsHonest: the sentence names n and p, says "not
// significantly different" exactly when p ≥ 0.05, and warns when the
// expected counts are too small for the test.
func TestWeekdaySentenceIsHonest(t *testing.T) {
	for _, c := range []struct {
		counts []int
		want   []string
		not    []string
	}{
		{[]int{58, 48, 52, 51, 55, 46, 46}, []string{"Mondays are not significantly different from other days", "n = 356", "p = 0.8"}, []string{"unlikely", "rough guide"}},
		{[]int{5, 5, 5, 5, 5, 5, 5}, []string{"no day stands out from other days", "n = 35", "p = 1.00"}, []string{"unlikely", "not significantly"}},
		{[]int{1, 0, 2, 0, 1, 0, 0}, []string{"not significantly different", "n = 4", "rough guide"}, []string{"unlikely"}},
		{[]int{30, 30, 30, 30, 90, 5, 5}, []string{"unlikely to be chance", "Fridays have the most", "90 against 31.4 expected", "p < 0.001", "n = 220"}, []string{"not significantly"}},
		{[]int{0, 0, 0, 0, 0, 0, 0}, []string{"No incidents"}, []string{"significant"}},
	} {
		var byDay [7]int
		for i, n := range c.counts { // Monday first
			byDay[(i+1)%7] = n
		}
		w := insights.WeekdaysOf("UTC", byDay, false)
		s := w.Sentence()
		for _, x := range c.want {
			if !strings.Contains(s, x) {
				t.Errorf("%v: %q lacks %q", c.counts, s, x)
			}
		}
		for _, x := range c.not {
			if strings.Contains(s, x) {
				t.Errorf("%v: %q contains %q", c.counts, s, x)
			}
		}
	}
	if got := insights.FormatP(0.04996); strings.Contains(got, "0.05") && !strings.Contains(got, "0.0499") {
		t.Errorf("p just under 0.05 reads %q", got)
	}
}

// TestCloudCSVInsightsMatchTheFile imports the shared cloud post-mortems
// and checks the weekday counts (UTC) and the median time to resolve per
// provider against a computation straight from the CSV.
func TestCloudCSVInsightsMatchTheFile(t *testing.T) {
	data := cloudCSV(t)
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var byDay [7]int
	minutes := map[string][]float64{}
	for _, r := range rows[1:] {
		day, err := time.Parse("2006-01-02", r[col["date"]])
		if err != nil {
			t.Fatal(err)
		}
		byDay[day.Weekday()]++
		if m := strings.TrimSpace(r[col["duration_minutes"]]); m != "" {
			v, err := strconv.ParseFloat(m, 64)
			if err != nil {
				t.Fatal(err)
			}
			minutes[r[col["provider"]]] = append(minutes[r[col["provider"]]], v*60)
		}
	}
	median := func(v []float64) float64 {
		sort.Float64s(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		if _, err := importing.Run(ctx, db, models.SystemActor("test"), cloudMapping(t), data, importing.Options{Filename: "cloud_incidents.csv"}); err != nil {
			t.Fatal(err)
		}
		w, err := insights.IncidentWeekdays(ctx, db, insights.Scope{Location: time.UTC}, false)
		if err != nil {
			t.Fatal(err)
		}
		if w.Total != len(rows)-1 {
			t.Fatalf("total %d, want %d", w.Total, len(rows)-1)
		}
		for _, d := range w.Days {
			if d.Count != byDay[d.Weekday] {
				t.Errorf("%v: %d, the CSV says %d", d.Weekday, d.Count, byDay[d.Weekday])
			}
		}
		t.Logf("cloud post-mortems by weekday: %s", w.Sentence())
		resolve, _ := insights.LookupDurationMetric("time_to_resolve")
		for provider, component := range map[string]string{"AWS": "aws", "Azure": "azure", "Google": "google-cloud"} {
			c, err := models.GetComponentBySlug(ctx, db, component)
			if err != nil {
				t.Fatal(err)
			}
			st, err := insights.IncidentDurationStats(ctx, db, insights.Scope{Filter: models.IncidentFilter{ComponentIDs: []int64{c.ID}}}, resolve)
			if err != nil {
				t.Fatal(err)
			}
			want := median(minutes[provider])
			if st.Count != len(minutes[provider]) || math.Abs(st.Median-want) > 1e-6 {
				t.Errorf("%s: median TTR %v s over %d, the CSV says %v s over %d", provider, st.Median, st.Count, want, len(minutes[provider]))
			}
			t.Logf("%s: median time to resolve %.0f min over %d incidents (%d undefined)", provider, st.Median/60, st.Count, st.Undefined)
		}
	})
}
