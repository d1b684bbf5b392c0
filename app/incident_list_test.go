package app_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func TestIncidentListFiltersSortsPagesAndExports(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		ctx := context.Background()
		team, err := models.CreateTeam(ctx, db, models.SystemActor("test"), models.NewTeam{Name: "Payments"})
		if err != nil {
			t.Fatal(err)
		}
		comp := models.Component{Name: "Checkout API", Slug: "checkout-api", TeamID: &team.ID, Tier: 1, ReviewIntervalDays: 90, Links: []models.Link{}, Version: 1, CreatedAt: models.Now(db), UpdatedAt: models.Now(db)}
		if err := db.Create(&comp).Error; err != nil {
			t.Fatal(err)
		}
		sev1, sev3 := sevID(t, db, "SEV1"), sevID(t, db, "SEV3")
		mustIncident(t, db, models.IncidentInput{Title: "Checkout 500s", SeverityID: sev1, StartedAt: utc("2026-03-01T10:00:00Z"), ResolvedAt: utc("2026-03-01T11:30:00Z"), Status: models.StatusResolved, ComponentIDs: []int64{comp.ID}, Tags: []string{"deploy"}})
		mustIncident(t, db, models.IncidentInput{Title: "=cmd|' /C calc'!A0 DNS flaps", SeverityID: sev3, StartedAt: utc("2026-03-05T10:00:00Z"), Tags: []string{"dns"}, Summary: "resolver 100% busy"})
		for i := 0; i < 60; i++ {
			mustIncident(t, db, models.IncidentInput{Title: "Noise", StartedAt: utc("2026-02-01T10:00:00Z"), Status: models.StatusClosed})
		}
		c, _ := env.As(models.RoleViewer)
		count := func(q string) int {
			doc := c.Get("/incidents?"+q).Expect(t, http.StatusOK).Doc(t)
			return doc.Find(apptest.TestID("incident-row")).Length()
		}
		for q, want := range map[string]int{
			"":                              50,
			"page=2":                        12,
			"status=open":                   1,
			"status=resolved":               1,
			"severity=SEV1":                 1,
			"component=checkout-api":        1,
			"team=payments":                 1,
			"team=nobody":                   0,
			"tag=DNS":                       1,
			"q=100%25":                      1,
			"q=inc-2":                       1,
			"from=2026-03-01&to=2026-03-01": 1,
			"from=2026-03-02":               1,
			"to=2026-02-28":                 50,
			"status=open&severity=SEV1":     0,
			"severity=SEV3&sort=severity":   1,
		} {
			if got := count(q); got != want {
				t.Errorf("?%s: %d rows, want %d", q, got, want)
			}
		}
		doc := c.Get("/incidents?sort=severity").Expect(t, http.StatusOK).Doc(t)
		if first := doc.Find(apptest.TestID("incident-link")).First().Text(); first != "Checkout 500s" {
			t.Errorf("most severe first: %q", first)
		}
		if txt := doc.Find(apptest.TestID("list-count")).Text(); txt != "1–50 of 62" {
			t.Errorf("count %q", txt)
		}
		doc = c.Get("/incidents?from=yesterday").Expect(t, http.StatusUnprocessableEntity).Doc(t)
		if doc.Find(apptest.TestID("error-from")).Length() != 1 {
			t.Error("bad date not reported")
		}

		r := c.Get("/incidents/export.csv?severity=SEV1&severity=SEV3").Expect(t, http.StatusOK)
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
			t.Errorf("content type %s", r.Header.Get("Content-Type"))
		}
		rows, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[0][0] != "key" || rows[1][1] != "'=cmd|' /C calc'!A0 DNS flaps" || rows[2][1] != "Checkout 500s" {
			t.Fatalf("export %q", rows)
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		if rows[2][col["time_to_resolve_seconds"]] != "5400" || rows[1][col["time_to_resolve_seconds"]] != "" || rows[2][col["components"]] != "checkout-api" {
			t.Errorf("export durations/components %q", rows[2])
		}
		all := c.Get("/incidents/export.csv").Expect(t, http.StatusOK)
		if n := strings.Count(all.Body, "\n"); n != 63 {
			t.Errorf("full export has %d lines, want 63", n)
		}
	})
}

func sevID(t *testing.T, db *gorm.DB, name string) *int64 {
	t.Helper()
	s, err := models.GetSeverityByName(context.Background(), db, name)
	if err != nil {
		t.Fatal(err)
	}
	return &s.ID
}
