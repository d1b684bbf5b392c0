package app_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// seedIncidents stores n incidents quickly (bulk inserts, no audit): five
// years of history over 12 components and 24 tags, with realistic gaps in
// the timestamps.
func seedIncidents(tb testing.TB, db *gorm.DB, n int) {
	tb.Helper()
	ctx := context.Background()
	sevs, err := models.ListSeverities(ctx, db)
	if err != nil {
		tb.Fatal(err)
	}
	team, err := models.CreateTeam(ctx, db, models.SystemActor("seed"), models.NewTeam{Name: "Platform"})
	if err != nil {
		tb.Fatal(err)
	}
	var comps []models.Component
	for i := 0; i < 12; i++ {
		c := models.Component{Name: fmt.Sprintf("Component %02d", i), Slug: fmt.Sprintf("component-%02d", i), Tier: 1 + i%3,
			ReviewIntervalDays: 90, Links: []models.Link{}, Version: 1, CreatedAt: models.Now(db), UpdatedAt: models.Now(db)}
		if i%4 == 0 {
			c.TeamID = &team.ID
		}
		if err := db.Create(&c).Error; err != nil {
			tb.Fatal(err)
		}
		comps = append(comps, c)
	}
	r := rand.New(rand.NewPCG(42, 7))
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	words := []string{"checkout", "login", "dns", "database", "queue", "cache", "storage", "network", "deploy", "certificate", "latency", "errors"}
	err = db.Transaction(func(tx *gorm.DB) error {
		const batch = 1000
		for done := 0; done < n; done += batch {
			var incs []*models.Incident
			var comp [][]int64
			for i := done; i < done+batch && i < n; i++ {
				st := start.Add(time.Duration(r.Int64N(int64(5 * 365 * 24 * time.Hour)))).Truncate(time.Second)
				ptr := func(d time.Duration, p float64) *time.Time {
					if r.Float64() > p {
						return nil
					}
					t := st.Add(d)
					return &t
				}
				sid := sevs[r.IntN(len(sevs))].ID
				inc := &models.Incident{
					Number: int64(i + 1), Title: fmt.Sprintf("%s %s incident %d", words[r.IntN(len(words))], words[r.IntN(len(words))], i),
					SeverityID: &sid, Status: models.IncidentStatuses()[r.IntN(len(models.IncidentStatuses()))], StartedAt: st,
					DetectedAt: ptr(time.Duration(r.IntN(600))*time.Second, 0.9), AcknowledgedAt: ptr(time.Duration(600+r.IntN(600))*time.Second, 0.8),
					MitigatedAt: ptr(time.Duration(1200+r.IntN(7200))*time.Second, 0.7), ResolvedAt: ptr(time.Duration(9000+r.IntN(86400))*time.Second, 0.85),
					Summary: "A summary of what happened, long enough to matter for text search. " + words[r.IntN(len(words))],
					Links:   []models.Link{}, Version: 1, CreatedAt: st, UpdatedAt: st,
				}
				for t := 0; t < 1+r.IntN(3); t++ {
					tag := fmt.Sprintf("tag-%02d", r.IntN(24))
					dup := false
					for _, x := range inc.Tags {
						dup = dup || x.Tag == tag
					}
					if !dup {
						inc.Tags = append(inc.Tags, models.IncidentTag{Tag: tag})
					}
				}
				a, b := comps[r.IntN(len(comps))].ID, comps[r.IntN(len(comps))].ID
				ids := []int64{a}
				if b != a {
					ids = append(ids, b)
				}
				incs = append(incs, inc)
				comp = append(comp, ids)
			}
			if err := tx.Omit(clause.Associations).CreateInBatches(incs, 200).Error; err != nil {
				return err
			}
			var tags []models.IncidentTag
			var links []models.IncidentComponent
			for i, inc := range incs {
				for _, tg := range inc.Tags {
					tags = append(tags, models.IncidentTag{IncidentID: inc.ID, Tag: tg.Tag})
				}
				for _, cid := range comp[i] {
					links = append(links, models.IncidentComponent{IncidentID: inc.ID, ComponentID: cid})
				}
			}
			if err := tx.CreateInBatches(tags, 500).Error; err != nil {
				return err
			}
			if err := tx.CreateInBatches(links, 500).Error; err != nil {
				return err
			}
		}
		return tx.Exec("UPDATE incident_sequence SET last_number = ?", n).Error
	})
	if err != nil {
		tb.Fatal(err)
	}
	// What autovacuum does on a live PostgreSQL (and ANALYZE on SQLite).
	if err := db.Exec(models.SQL(db).Analyze()).Error; err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkIncidentList measures the incident list page (query, count and
// render through the real router) and the CSV export on 100,000 incidents:
//
//	go test ./app/ -run '^$' -bench IncidentList -benchtime 20x
func BenchmarkIncidentList(b *testing.B) {
	for _, dialect := range dbtest.Dialects() {
		db := dbtest.New(b, dialect)
		t0 := time.Now()
		n := 100_000
		if v, err := strconv.Atoi(os.Getenv("DEBRIEF_BENCH_INCIDENTS")); err == nil && v > 0 {
			n = v
		}
		seedIncidents(b, db, n)
		b.Logf("%s: seeded %d incidents in %v", dialect, n, time.Since(t0).Round(time.Millisecond))
		env := apptest.New(b, db)
		c, _ := env.As(models.RoleViewer)
		for _, q := range []struct{ name, query string }{
			{"default", ""},
			{"page-1000", "page=1000"},
			{"status-open", "status=open"},
			{"severity-sort", "severity=SEV1&sort=severity"},
			{"component", "component=component-03"},
			{"team", "team=platform"},
			{"tag", "tag=tag-07"},
			{"date-range", "from=2024-01-01&to=2024-03-31"},
			{"text", "q=certificate"},
			{"combined", "status=resolved&severity=SEV2&tag=tag-03&from=2023-01-01"},
		} {
			b.Run(dialect+"/"+q.name, func(b *testing.B) {
				for b.Loop() {
					r := c.Get("/incidents?" + q.query)
					if r.StatusCode != http.StatusOK {
						b.Fatalf("status %d", r.StatusCode)
					}
				}
			})
		}
		b.Run(dialect+"/export-all-csv", func(b *testing.B) {
			for b.Loop() {
				r := c.Get("/incidents/export.csv")
				if r.StatusCode != http.StatusOK || len(r.Body) < 1_000_000 {
					b.Fatalf("status %d, %d bytes", r.StatusCode, len(r.Body))
				}
			}
		})
	}
}
