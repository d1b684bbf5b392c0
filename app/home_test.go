package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func TestHomeShowsTheViewersWork(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		env := apptest.New(t, db)
		c, u := env.As(models.RoleMember)

		// A fresh instance welcomes with first steps.
		r := c.Get("/").Expect(t, http.StatusOK)
		if r.Doc(t).Find(apptest.TestID("home-hero")).Length() != 1 {
			t.Fatal("no welcome on an empty instance")
		}

		act := models.ActorOf(u, "")
		if _, err := models.CreateActionItem(ctx, db, act, models.NewActionItem{ActionItemInput: models.ActionItemInput{
			Title: "Rotate the on-call roster", Owner: u.Email, DueDate: "2020-01-01"}, SourceKind: models.SourceManual}); err != nil {
			t.Fatal(err)
		}
		started := env.Clock.Now().Add(-time.Hour)
		if _, err := models.CreateIncident(ctx, db, act, models.IncidentInput{Title: "Checkout is slow", Status: "investigating", StartedAt: &started}); err != nil {
			t.Fatal(err)
		}
		r = c.Get("/").Expect(t, http.StatusOK)
		doc := r.Doc(t)
		if got := doc.Find(apptest.TestID("home-my-items")).Text(); !strings.Contains(got, "Rotate the on-call roster") || !strings.Contains(got, "overdue") {
			t.Fatalf("my items: %q", got)
		}
		if got := doc.Find(apptest.TestID("home-incidents")).Text(); !strings.Contains(got, "Checkout is slow") {
			t.Fatalf("recent incidents: %q", got)
		}
		stats := doc.Find(apptest.TestID("home-stat")).Text()
		if !strings.Contains(stats, "Open incidents") || !strings.Contains(stats, "1 overdue") {
			t.Fatalf("stats: %q", stats)
		}
		if doc.Find(apptest.TestID("home-hero")).Length() != 0 {
			t.Fatal("welcome still shown with records")
		}
	})
}
