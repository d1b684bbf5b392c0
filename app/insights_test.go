package app_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// seedInsightData stores a small, known history: a Friday-heavy week in
// Berlin with components, a team, tags, severities and partial
// timestamps.
func seedInsightData(t *testing.T, db *gorm.DB) (team *models.Team, comp *models.Component) {
	t.Helper()
	ctx := context.Background()
	team, err := models.CreateTeam(ctx, db, models.SystemActor("test"), models.NewTeam{Name: "Payments"})
	if err != nil {
		t.Fatal(err)
	}
	comp, err = models.CreateComponent(ctx, db, models.SystemActor("test"), models.ComponentInput{Name: "Checkout API", Team: team.Slug, Tier: 1})
	if err != nil {
		t.Fatal(err)
	}
	other, err := models.CreateComponent(ctx, db, models.SystemActor("test"), models.ComponentInput{Name: "Postgres fleet", Tier: 2})
	if err != nil {
		t.Fatal(err)
	}
	sev1, sev2 := sevID(t, db, "SEV1"), sevID(t, db, "SEV2")
	for i, s := range []struct {
		start, resolved string
		sev             *int64
		comps           []int64
		tags            []string
	}{
		// Fridays (2026-03-06, 13, 20, 27) at 16:30 Berlin = 15:30 UTC.
		{"2026-03-06T15:30:00Z", "2026-03-06T16:30:00Z", sev1, []int64{comp.ID}, []string{"deploy"}},
		{"2026-03-13T15:30:00Z", "2026-03-13T17:30:00Z", sev2, []int64{comp.ID}, []string{"deploy"}},
		{"2026-03-20T15:30:00Z", "", sev2, []int64{comp.ID, other.ID}, nil},
		{"2026-03-27T15:30:00Z", "2026-03-27T15:45:00Z", nil, []int64{other.ID}, []string{"network"}},
		// A Monday, 23:30 UTC = Tuesday 01:30 in Berlin.
		{"2026-03-02T23:30:00Z", "2026-03-03T02:30:00Z", sev1, nil, nil},
		// A year earlier on 27 March.
		{"2025-03-27T09:00:00Z", "2025-03-27T12:00:00Z", sev2, []int64{other.ID}, nil},
	} {
		in := models.IncidentInput{Title: "Insight incident " + strconv.Itoa(i), StartedAt: utc(s.start), SeverityID: s.sev,
			ComponentIDs: s.comps, Tags: s.tags, Status: models.StatusResolved}
		if s.resolved != "" {
			in.ResolvedAt = utc(s.resolved)
		}
		mustIncident(t, db, in)
	}
	return team, comp
}

func getJSON(t *testing.T, c *apptest.Client, path string) map[string]any {
	t.Helper()
	r := c.Get(path).Expect(t, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s: content type %q", path, ct)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(r.Body), &out); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestInsightAPIShapesAndNumbers checks the API shapes the issue fixes,
// and that the numbers agree with the models and with the pages.
func TestInsightAPIShapesAndNumbers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		_, comp := seedInsightData(t, db)
		viewer, user := env.As(models.RoleViewer)
		api := env.Bearer(env.APIToken(user))

		w := getJSON(t, api, "/api/v1/insights/weekdays?tz=Europe/Berlin")
		if got := keys(w); !reflect.DeepEqual(got, []string{"chi_square", "days", "df", "p_value", "timezone", "total"}) {
			t.Fatalf("weekdays keys %v", got)
		}
		days := w["days"].([]any)
		if w["timezone"] != "Europe/Berlin" || w["total"].(float64) != 6 || w["df"].(float64) != 6 || len(days) != 7 {
			t.Fatalf("weekdays: %v", w)
		}
		day := func(i int) map[string]any { return days[i].(map[string]any) }
		if got := keys(day(0)); !reflect.DeepEqual(got, []string{"count", "expected", "weekday"}) {
			t.Fatalf("day keys %v", got)
		}
		// Berlin: Tuesday 1 (the Monday-night one), Thursday 1, Friday 4.
		if day(0)["weekday"] != "Monday" || day(0)["count"].(float64) != 0 || day(1)["count"].(float64) != 1 ||
			day(3)["count"].(float64) != 1 || day(4)["count"].(float64) != 4 || day(4)["expected"].(float64) != 0.86 {
			t.Fatalf("weekdays in Berlin: %v", days)
		}
		// In New York the Monday-night incident is still Monday.
		ny := getJSON(t, api, "/api/v1/insights/weekdays?tz=America/New_York")
		if ny["days"].([]any)[0].(map[string]any)["count"].(float64) != 1 {
			t.Fatalf("weekdays in New York: %v", ny["days"])
		}
		only := getJSON(t, api, "/api/v1/insights/weekdays?weekdays_only=true")
		if only["df"].(float64) != 4 || len(only["days"].([]any)) != 5 {
			t.Fatalf("weekdays only: %v", only)
		}

		d := getJSON(t, api, "/api/v1/insights/durations?metric=time_to_resolve")
		if got := keys(d); !reflect.DeepEqual(got, []string{"count", "mean_seconds", "median_seconds", "metric", "p90_seconds"}) {
			t.Fatalf("durations keys %v", got)
		}
		// Resolved after 1h, 2h, 15m, 3h, 3h; one incident has no resolved
		// time and is left out (not counted as zero).
		if d["metric"] != "time_to_resolve" || d["count"].(float64) != 5 || d["median_seconds"].(float64) != 7200 ||
			d["mean_seconds"].(float64) != (3600+7200+900+10800+10800)/5.0 {
			t.Fatalf("durations: %v", d)
		}
		// p90 by percentile_cont: 0.9·4 = 3.6 between 10800 and 10800.
		if d["p90_seconds"].(float64) != 10800 {
			t.Fatalf("p90: %v", d)
		}
		if none := getJSON(t, api, "/api/v1/insights/durations?metric=time_to_detect"); none["count"].(float64) != 0 || none["median_seconds"] != nil {
			t.Fatalf("no values: %v", none)
		}
		api.Get("/api/v1/insights/durations?metric=time_to_lunch").Expect(t, http.StatusUnprocessableEntity)
		api.Get("/api/v1/insights/weekdays?tz=Mars/Olympus").Expect(t, http.StatusUnprocessableEntity)
		api.Get("/api/v1/insights/weekdays?tz=Local").Expect(t, http.StatusUnprocessableEntity)
		api.Get("/api/v1/insights/weekdays?from=yesterday").Expect(t, http.StatusUnprocessableEntity)
		api.Get("/api/v1/insights/over-time?interval=fortnight").Expect(t, http.StatusUnprocessableEntity)

		// Filters narrow every endpoint the way they narrow the list.
		byComp := getJSON(t, api, "/api/v1/insights/durations?component="+comp.Slug)
		if byComp["count"].(float64) != 2 {
			t.Fatalf("component filter: %v", byComp)
		}
		byTeam := getJSON(t, api, "/api/v1/insights/weekdays?team=payments&tz=Europe/Berlin")
		if byTeam["total"].(float64) != 3 {
			t.Fatalf("team filter: %v", byTeam)
		}
		if got := getJSON(t, api, "/api/v1/insights/weekdays?severity=SEV2&tag=deploy")["total"].(float64); got != 1 {
			t.Fatalf("severity and tag: %v", got)
		}
		if got := getJSON(t, api, "/api/v1/insights/weekdays?from=2026-03-10&to=2026-03-20&tz=Europe/Berlin")["total"].(float64); got != 2 {
			t.Fatalf("date range: %v", got)
		}

		h := getJSON(t, api, "/api/v1/insights/heatmap?tz=Europe/Berlin")
		cells := h["cells"].([]any)
		if len(cells) != 168 || h["total"].(float64) != 6 {
			t.Fatalf("heatmap: %d cells, %v", len(cells), h["total"])
		}
		fri16 := cells[4*24+16].(map[string]any)
		if fri16["weekday"] != "Friday" || fri16["hour"].(float64) != 16 || fri16["count"].(float64) != 4 {
			t.Fatalf("heatmap Friday 16h: %v", fri16)
		}

		o := getJSON(t, api, "/api/v1/insights/over-time?interval=month&tz=UTC")
		buckets := o["buckets"].([]any)
		// March 2025 to March 2026: 13 months, the empty ones included.
		if len(buckets) != 13 || o["total"].(float64) != 6 {
			t.Fatalf("over time: %d buckets, %v", len(buckets), o["total"])
		}
		last := buckets[12].(map[string]any)
		if last["start"] != "2026-03-01" || last["total"].(float64) != 5 {
			t.Fatalf("March 2026: %v", last)
		}

		cj := getJSON(t, api, "/api/v1/insights/components")
		byCount := cj["by_count"].([]any)
		first := byCount[0].(map[string]any)
		if len(byCount) != 2 || first["incidents"].(float64) != 3 || first["repeat_incidents"].(float64) != 2 {
			t.Fatalf("components: %v", byCount)
		}
		if len(cj["overdue_reviews"].([]any)) != 2 || cj["repeat_window_days"].(float64) != 30 {
			t.Fatalf("overdue: %v", cj["overdue_reviews"])
		}

		tj := getJSON(t, api, "/api/v1/insights/today?date=2026-03-27&tz=UTC")
		inc := tj["incidents"].([]any)
		if len(inc) != 1 || inc[0].(map[string]any)["years_ago"].(float64) != 1 {
			t.Fatalf("today in history: %v", tj)
		}

		// The page shows the same numbers as the API.
		doc := viewer.Get("/insights/weekdays?tz=Europe/Berlin").Expect(t, http.StatusOK).Doc(t)
		fri := doc.Find(`[data-testid="weekday-table"] tr[data-key="Friday"] td[data-series="count"]`).AttrOr("data-v", "")
		if fri != "4" {
			t.Fatalf("page Friday count %q", fri)
		}
		if s := doc.Find(apptest.TestID("weekday-sentence")).Text(); !strings.Contains(s, "n = 6") || !strings.Contains(s, "p = ") {
			t.Fatalf("sentence %q", s)
		}
		if src, _ := doc.Find(`[data-chart="weekdays"]`).Attr("data-src"); src != "/api/v1/insights/weekdays?tz=Europe%2FBerlin" {
			t.Fatalf("chart source %q", src)
		}
	})
}

// TestInsightPagesRenderWithFiltersAndDownloads opens every insight page
// with and without filters, checks the tables and the chart wiring, and
// fetches every download.
func TestInsightPagesRenderWithFiltersAndDownloads(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		seedInsightData(t, db)
		c, _ := env.As(models.RoleViewer)
		pages := map[string]int{ // path → charts on it
			"/insights": 1, "/insights/over-time": 1, "/insights/weekdays": 1, "/insights/heatmap": 1,
			"/insights/durations": 3, "/insights/components": 2, "/insights/today": 0,
		}
		for path, charts := range pages {
			for _, q := range []string{"", "tz=Europe%2FBerlin&team=payments&severity=SEV2&from=2026-01-01&to=2026-12-31"} {
				doc := c.Get(path+"?"+q).Expect(t, http.StatusOK).Doc(t)
				if n := doc.Find(`[data-chart]`).Length(); n != charts {
					t.Errorf("%s: %d charts, want %d", path, n, charts)
				}
				doc.Find(`[data-chart]`).Each(func(_ int, s *goquery.Selection) {
					table, _ := s.Attr("data-table")
					if doc.Find("#"+table+" table").Length() == 0 && doc.Find("#"+table+" p").Length() == 0 {
						t.Errorf("%s: chart %s has no table beside it", path, s.AttrOr("id", ""))
					}
					if !strings.HasPrefix(s.AttrOr("data-src", ""), "/api/v1/insights/") {
						t.Errorf("%s: chart source %q", path, s.AttrOr("data-src", ""))
					}
				})
				scripts := doc.Find(`script[src*="echarts"]`).Length()
				if (charts > 0) != (scripts == 1) {
					t.Errorf("%s: %d echarts scripts with %d charts", path, scripts, charts)
				}
				if doc.Find(`script:not([src])`).Length() > 0 || doc.Find(`[style]`).Length() > 0 {
					t.Errorf("%s: inline script or style", path)
				}
				// Every download link answers with its type.
				doc.Find(`[data-testid="download-csv"], [data-testid="download-json"], .downloads a`).Each(func(_ int, s *goquery.Selection) {
					href := s.AttrOr("href", "")
					r := c.Get(href).Expect(t, http.StatusOK)
					ct := r.Header.Get("Content-Type")
					if strings.Contains(href, ".csv") {
						if !strings.HasPrefix(ct, "text/csv") {
							t.Errorf("%s: %s is %s", path, href, ct)
						}
						if _, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll(); err != nil {
							t.Errorf("%s: %s: %v", path, href, err)
						}
					} else if !strings.HasPrefix(ct, "application/json") {
						t.Errorf("%s: %s is %s", path, href, ct)
					}
				})
			}
		}
		// The Insights tab is current on every insight page.
		doc := c.Get("/insights/heatmap").Expect(t, http.StatusOK).Doc(t)
		if doc.Find(`.main-nav a[aria-current="page"]`).Text() != "Insights" || doc.Find(`[data-testid="tab-heatmap"][aria-current="page"]`).Length() != 1 {
			t.Fatal("navigation does not mark Insights")
		}
		// Bad filter values are shown next to their field, and the page
		// still renders (422).
		doc = c.Get("/insights/weekdays?tz=Nowhere/City&from=soon").Expect(t, http.StatusUnprocessableEntity).Doc(t)
		if doc.Find(apptest.TestID("error-tz")).Length() != 1 || doc.Find(apptest.TestID("error-from")).Length() != 1 {
			t.Fatal("no field errors for tz and from")
		}
		c.Get("/insights/durations?metric=nope").Expect(t, http.StatusUnprocessableEntity)
		c.Get("/insights/today?date=31-12-2025").Expect(t, http.StatusUnprocessableEntity)

		// CSV numbers equal the API's.
		r := c.Get("/insights/weekdays.csv?tz=Europe%2FBerlin").Expect(t, http.StatusOK)
		rows, _ := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
		if len(rows) != 8 || rows[5][0] != "Friday" || rows[5][1] != "4" || rows[5][4] != "6" {
			t.Fatalf("weekdays CSV: %v", rows)
		}
		r = c.Get("/insights/durations.csv?table=trend&metric=time_to_resolve&tz=UTC").Expect(t, http.StatusOK)
		rows, _ = csv.NewReader(strings.NewReader(r.Body)).ReadAll()
		if len(rows) != 3 || rows[2][1] != "2026-03" || rows[2][2] != "4" {
			t.Fatalf("trend CSV: %v", rows)
		}
		c.Get("/insights/components.csv?table=nope").Expect(t, http.StatusUnprocessableEntity)

		// Signed out: pages go to sign-in, the API answers 401.
		anon := env.Client()
		if r := anon.Get("/insights/weekdays"); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("signed out page: %d", r.StatusCode)
		}
		anon.Get("/api/v1/insights/weekdays").Expect(t, http.StatusUnauthorized)
		_ = url.Values{}
	})
}

// TestInsightsEmptyDatabase: every page and endpoint works with no
// incidents and says so.
func TestInsightsEmptyDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		c, _ := env.As(models.RoleViewer)
		for _, p := range []string{"/insights", "/insights/over-time?interval=week", "/insights/weekdays?weekdays_only=true", "/insights/heatmap", "/insights/durations", "/insights/components", "/insights/today"} {
			c.Get(p).Expect(t, http.StatusOK)
		}
		w := getJSON(t, c, "/api/v1/insights/weekdays")
		if w["total"].(float64) != 0 || w["chi_square"] != nil || w["p_value"] != nil {
			t.Fatalf("empty weekdays: %v", w)
		}
		doc := c.Get("/insights").Expect(t, http.StatusOK).Doc(t)
		if s := doc.Find(apptest.TestID("weekday-sentence")).Text(); !strings.Contains(s, "No incidents") {
			t.Fatalf("empty sentence %q", s)
		}
	})
}
