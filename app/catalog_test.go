package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func TestComponentCatalogPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		ctx := context.Background()
		if _, err := models.CreateTeam(ctx, db, models.SystemActor("test"), models.NewTeam{Name: "Databases", Slug: "databases"}); err != nil {
			t.Fatal(err)
		}
		c, _ := env.As(models.RoleMember)
		viewer, _ := env.As(models.RoleViewer)

		r := c.Get("/components").Expect(t, http.StatusOK)
		if r.Doc(t).Find(apptest.TestID("components-empty")).Length() != 1 {
			t.Fatal("empty catalog has no empty state")
		}
		viewer.Get("/components/new").Expect(t, http.StatusForbidden)

		// Bad input keeps what was typed, with a message per field.
		r = c.Form("/components", url.Values{"name": {"Postgres fleet"}, "tier": {"7"}, "links": {"Grafana | not-a-url"}, "tags": {"db"}})
		r.Expect(t, http.StatusUnprocessableEntity)
		doc := r.Doc(t)
		if v, _ := doc.Find(`input[name="name"]`).Attr("value"); v != "Postgres fleet" {
			t.Errorf("name not kept: %q", v)
		}
		for _, f := range []string{"tier", "links"} {
			if doc.Find(apptest.TestID("error-"+f)).Length() != 1 {
				t.Errorf("no message at %s", f)
			}
		}

		r = c.Form("/components", url.Values{"name": {"Postgres fleet"}, "tier": {"1"}, "team": {"databases"},
			"description": {"The **primary** OLTP fleet"}, "links": {"Grafana | https://grafana.example.com/d/pg | dashboard"}, "tags": {"database, stateful"}})
		r.Expect(t, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != "/components/postgres-fleet" {
			t.Fatalf("created → %s", loc)
		}
		page := c.Get("/components/postgres-fleet").Expect(t, http.StatusOK)
		doc = page.Doc(t)
		if doc.Find(apptest.TestID("component-name")).Text() != "Postgres fleet" || !strings.Contains(page.Body, "<strong>primary</strong>") {
			t.Fatalf("component page:\n%s", page.Body)
		}
		if st := doc.Find(apptest.TestID("review-state")).Text(); st != "Never reviewed" {
			t.Errorf("review state %q", st)
		}

		// Filters.
		if _, err := models.CreateComponent(ctx, db, models.SystemActor("test"), models.ComponentInput{Name: "Build pipeline", Tier: 3}); err != nil {
			t.Fatal(err)
		}
		count := func(q string) int {
			return c.Get("/components?"+q).Expect(t, http.StatusOK).Doc(t).Find(apptest.TestID("component-row")).Length()
		}
		for q, want := range map[string]int{"": 2, "team=databases": 1, "tier=3": 1, "tag=stateful": 1, "review=never": 2, "review=overdue": 0, "q=pipe": 1} {
			if got := count(q); got != want {
				t.Errorf("filter %q: %d rows, want %d", q, got, want)
			}
		}
		c.Get("/components?team=nope").Expect(t, http.StatusNotFound)

		// Edit with a stale version: 409 with the typed values kept.
		edit := c.Get("/components/postgres-fleet/edit").Expect(t, http.StatusOK).Doc(t)
		version, _ := edit.Find(`input[name="version"]`).Attr("value")
		form := url.Values{"name": {"Postgres fleet (EU)"}, "tier": {"1"}, "team": {"databases"}, "review_interval_days": {"60"}, "version": {version}}
		c.Form("/components/postgres-fleet/edit", form).Expect(t, http.StatusSeeOther)
		form.Set("name", "Someone else's name")
		r = c.Form("/components/postgres-fleet/edit", form).Expect(t, http.StatusConflict)
		if v, _ := r.Doc(t).Find(`input[name="name"]`).Attr("value"); v != "Someone else's name" {
			t.Errorf("conflict lost the typed name: %q", v)
		}
		comp, err := models.GetComponentBySlug(ctx, db, "postgres-fleet")
		if err != nil || comp.Name != "Postgres fleet (EU)" || comp.ReviewIntervalDays != 60 {
			t.Fatalf("stored %+v %v", comp, err)
		}
		c.Get("/reviews/due").Expect(t, http.StatusOK)
	})
}

func TestActionItemPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		ctx := context.Background()
		c, u := env.As(models.RoleMember)
		if _, err := models.CreateComponent(ctx, db, models.SystemActor("test"), models.ComponentInput{Name: "Edge router", Tier: 1}); err != nil {
			t.Fatal(err)
		}
		c.Get("/action-items/new?component=edge-router").Expect(t, http.StatusOK)
		r := c.Form("/action-items", url.Values{"component": {"edge-router"}, "title": {""}, "priority": {"high"}, "due_date": {"someday"}})
		r.Expect(t, http.StatusUnprocessableEntity)
		for _, f := range []string{"title", "due_date"} {
			if r.Doc(t).Find(apptest.TestID("error-"+f)).Length() != 1 {
				t.Errorf("no message at %s", f)
			}
		}
		r = c.Form("/action-items", url.Values{"component": {"edge-router"}, "title": {"Write the failover runbook"}, "priority": {"high"},
			"owner": {u.Email}, "due_date": {"2030-05-01"}})
		r.Expect(t, http.StatusSeeOther)
		loc := r.Header.Get("Location")
		doc := c.Get(loc).Expect(t, http.StatusOK).Doc(t)
		if doc.Find(apptest.TestID("action-title")).Text() != "Write the failover runbook" {
			t.Fatal("action page")
		}
		// The component page lists it.
		comp := c.Get("/components/edge-router").Expect(t, http.StatusOK).Doc(t)
		if comp.Find(apptest.TestID("action-row")).Length() != 1 {
			t.Fatal("component page does not list its action item")
		}
		// Won't do without a reason: 422 with the message.
		r = c.Form(loc+"/status", url.Values{"status": {"wont_do"}, "note": {""}}).Expect(t, http.StatusUnprocessableEntity)
		if r.Doc(t).Find(apptest.TestID("error-status_reason")).Length() != 1 {
			t.Fatal("no reason message")
		}
		c.Form(loc+"/status", url.Values{"status": {"wont_do"}, "note": {"Router is being replaced"}}).Expect(t, http.StatusSeeOther)
		doc = c.Get(loc).Expect(t, http.StatusOK).Doc(t)
		if doc.Find(apptest.TestID("action-status")).Text() != "Won't do" || !strings.Contains(doc.Find(apptest.TestID("wont-do-reason")).Text(), "Router is being replaced") {
			t.Fatal("won't do not shown")
		}
		if doc.Find(apptest.TestID("action-history")).Find("li").Length() != 2 {
			t.Fatal("history")
		}
		// Closed items leave the component's open list.
		if c.Get("/components/edge-router").Doc(t).Find(apptest.TestID("action-row")).Length() != 0 {
			t.Fatal("closed item still listed as open")
		}
		// Edit keeps the version check.
		c.Get(loc+"/edit").Expect(t, http.StatusOK)
		r = c.Form(loc+"/edit", url.Values{"title": {"Stale"}, "priority": {"low"}, "version": {"1"}})
		r.Expect(t, http.StatusConflict)
	})
}
