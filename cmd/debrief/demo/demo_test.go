package demo_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/cmd/debrief/demo"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
	"github.com/debrief-sre/debrief/models/insights"
)

// TestEmbeddedDataMatchesTheRepository keeps the embedded copies equal to
// the mapping in docs/ and the CSV the import tests use.
func TestEmbeddedDataMatchesTheRepository(t *testing.T) {
	for _, c := range []struct {
		embedded []byte
		path     string
	}{
		{demo.CloudMapping, "../../../docs/mappings/cloud_incidents.yaml"},
		{demo.CloudCSV, "../../../models/testdata/cloud_incidents.csv"},
	} {
		b, err := os.ReadFile(filepath.FromSlash(c.path))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, c.embedded) {
			t.Errorf("cmd/debrief/demo/data differs from %s: copy it again", c.path)
		}
	}
	if !bytes.Contains([]byte(demo.Attribution), []byte("MIT")) || !bytes.Contains([]byte(demo.Attribution), []byte("Peter Onadi")) {
		t.Error("the attribution lost its licence or author")
	}
}

// TestSeedFillsAnEmptyDatabaseOnce: the demo makes a whole organisation —
// every role signs in, reviews at every stage with a pair to compare, the
// public history and our own incidents, action items done, late, open and
// won't do — and refuses a database that holds anything.
func TestSeedFillsAnEmptyDatabaseOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
		res, err := demo.Seed(ctx, db, demo.Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if res.CloudIncidents != 356 || res.Incidents < 200 || res.Teams != 5 || res.Reviews != 7 || res.Actions < 30 || res.TimelineEvents == 0 {
			t.Fatalf("result %+v", res)
		}
		roles := map[string]bool{}
		for _, c := range res.Credentials {
			if _, err := models.Authenticate(ctx, db, c.Email, demo.DefaultPassword); err != nil {
				t.Fatalf("%s cannot sign in: %v", c.Email, err)
			}
			roles[c.Role] = true
		}
		if len(roles) != 4 {
			t.Fatalf("roles %v", roles)
		}
		// Reviews at every stage, and two completed reviews of one
		// component to compare.
		for _, st := range []string{models.ReviewDraft, models.ReviewInProgress, models.ReviewInReview, models.ReviewCompleted} {
			if n, _ := models.CountReviews(ctx, db, st); n == 0 {
				t.Errorf("no %s review", st)
			}
		}
		pg, err := models.GetComponentBySlug(ctx, db, "postgres-fleet")
		if err != nil {
			t.Fatal(err)
		}
		done, err := models.ListReviews(ctx, db, models.ReviewFilter{ComponentID: pg.ID})
		if err != nil {
			t.Fatal(err)
		}
		completed := 0
		for _, r := range done {
			if r.Status == models.ReviewCompleted {
				completed++
				if r.CompletedAt == nil || !r.CompletedAt.Before(now) {
					t.Errorf("completed review dated %v", r.CompletedAt)
				}
			}
		}
		if completed != 2 {
			t.Fatalf("%d completed Postgres reviews, want 2 to compare", completed)
		}
		// DNS was last reviewed over a year ago: overdue.
		dns, _ := models.GetComponentBySlug(ctx, db, "dns")
		if st := dns.ReviewStateOn(models.Today(now, nil)); st.Kind != "overdue" {
			t.Errorf("DNS review state %+v", st)
		}
		// Action items in every state, closed ones dated in the past.
		items, err := models.ListActionItems(ctx, db, models.ActionItemFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		by := map[string]int{}
		overdue := 0
		for _, a := range items {
			by[a.Status]++
			if a.IsClosed() && (a.ClosedAt == nil || a.ClosedAt.After(now) || a.ClosedAt.Before(a.CreatedAt)) {
				t.Errorf("item %d closed at %v (created %v)", a.ID, a.ClosedAt, a.CreatedAt)
			}
			// Follow-through reads the day of closing and a postmortem item's incident.
			if a.IsClosed() && a.ClosedOn == nil {
				t.Errorf("item %d closed without closed_on", a.ID)
			}
			// Believable dates: nothing is due before the day it was made.
			if a.DueDate != nil && a.DueDate.Before(models.DateOf(a.CreatedAt.In(time.UTC))) {
				t.Errorf("item %d (%s) due %s, created %v", a.ID, a.SourceKind, a.DueDate, a.CreatedAt)
			}
			if a.SourceKind == models.SourcePostmortem && a.IncidentID == nil {
				t.Errorf("postmortem item %d has no incident", a.ID)
			}
			if a.Overdue(models.Today(now, nil)) {
				overdue++
			}
		}
		for _, st := range []string{models.ActionOpen, models.ActionInProgress, models.ActionDone, models.ActionWontDo} {
			if by[st] == 0 {
				t.Errorf("no %s action item: %v", st, by)
			}
		}
		if overdue == 0 {
			t.Error("no overdue action item")
		}
		// Postmortems by age, and one with a finished retro whose items
		// and findings reached the postmortem.
		byStatus, err := models.CountPostmortemsByStatus(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if byStatus[models.PostmortemPublished] == 0 || byStatus[models.PostmortemInReview]+byStatus[models.PostmortemDraft] == 0 || res.Postmortems < 10 {
			t.Fatalf("postmortems %v (%d)", byStatus, res.Postmortems)
		}
		retros, err := models.ListRetros(ctx, db, models.RetroFilter{Closed: true})
		if err != nil || len(retros) != 1 || retros[0].Summary == "" || retros[0].Participants < 5 || retros[0].PostmortemID == nil {
			t.Fatalf("retros %+v %v", retros, err)
		}
		if items, _ := models.ListPostmortemActionItems(ctx, db, *retros[0].PostmortemID); len(items) < 2 {
			t.Fatalf("the retro's postmortem has %d action items", len(items))
		}
		sources := map[string]int{}
		for _, a := range items {
			sources[a.SourceKind]++
		}
		if sources[models.SourcePostmortem] == 0 || sources[models.SourceRetro] != 2 || sources[models.SourceFinding] == 0 {
			t.Fatalf("action item sources %v", sources)
		}
		// Today in incident history has a story.
		hist, err := insights.IncidentsOnThisDay(ctx, db, insights.Scope{Location: time.UTC}, models.Today(now, nil), 10)
		if err != nil || len(hist) < 2 {
			t.Fatalf("on this day: %d, %v", len(hist), err)
		}
		// Nothing starts in the future.
		var future int64
		db.Model(&models.Incident{}).Where("started_at > ?", now).Count(&future)
		if future != 0 {
			t.Fatalf("%d incidents in the future", future)
		}
		// A second run refuses and changes nothing.
		before, _ := models.CountIncidents(ctx, db, models.IncidentFilter{})
		_, err = demo.Seed(ctx, db, demo.Options{Now: now})
		var ne *demo.NotEmptyError
		if !errors.Is(err, demo.ErrNotEmpty) || !errors.As(err, &ne) {
			t.Fatalf("second run: %v", err)
		}
		if after, _ := models.CountIncidents(ctx, db, models.IncidentFilter{}); after != before {
			t.Fatalf("second run changed the incidents: %d → %d", before, after)
		}
	})
}
