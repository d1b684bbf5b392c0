package app_test

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

type apiProblem struct {
	Status  int               `json:"status"`
	Detail  string            `json:"detail"`
	Errors  map[string]string `json:"errors"`
	Current map[string]any    `json:"current"`
}

type apiList struct {
	Items      []map[string]any `json:"items"`
	NextCursor string           `json:"next_cursor"`
}

// TestReviewAPIJourney does the browser journey through the JSON API.
func TestReviewAPIJourney(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		fac := env.CreateUser(models.RoleFacilitator, "Fay Facilitator")
		mem := env.CreateUser(models.RoleMember, "Milo Member")
		adm := env.CreateUser(models.RoleAdmin, "Ada Admin")
		viewer := env.CreateUser(models.RoleViewer, "Vic Viewer")
		if _, err := models.CreateTeam(t.Context(), db, models.SystemActor("test"), models.NewTeam{Name: "Databases", Slug: "databases"}); err != nil {
			t.Fatal(err)
		}
		f := env.Bearer(env.APIToken(fac))
		m := env.Bearer(env.APIToken(mem))
		a := env.Bearer(env.APIToken(adm))
		v := env.Bearer(env.APIToken(viewer))

		// Components.
		r := m.JSON(http.MethodPost, "/api/v1/components", `{"name": "", "tier": 9, "links": [{"title": "x", "url": "nope"}]}`).Expect(t, http.StatusUnprocessableEntity)
		if p := decode[apiProblem](t, r); p.Errors["name"] == "" || p.Errors["tier"] == "" || p.Errors["links"] == "" {
			t.Fatalf("problem %+v", p)
		}
		v.JSON(http.MethodPost, "/api/v1/components", `{"name": "X"}`).Expect(t, http.StatusForbidden)
		m.JSON(http.MethodPost, "/api/v1/components", `{"name": "X", "colour": "red"}`).Expect(t, http.StatusBadRequest)
		r = m.JSON(http.MethodPost, "/api/v1/components", `{"name": "Postgres fleet", "team": "databases", "tier": 1, "description": "OLTP",
			"links": [{"title": "Grafana", "url": "https://grafana.example.com/d/pg", "kind": "dashboard"}], "tags": ["database"]}`).Expect(t, http.StatusCreated)
		comp := decode[map[string]any](t, r)
		if comp["slug"] != "postgres-fleet" || comp["team"] != "databases" || comp["review_interval_days"].(float64) != 90 || comp["next_review_due"] != nil {
			t.Fatalf("component %v", comp)
		}
		m.JSON(http.MethodPost, "/api/v1/components", `{"name": "Build pipeline", "tier": 3}`).Expect(t, http.StatusCreated)
		list := decode[apiList](t, v.Get("/api/v1/components?limit=1"))
		if len(list.Items) != 1 || list.NextCursor == "" {
			t.Fatalf("page 1 %+v", list)
		}
		list = decode[apiList](t, v.Get("/api/v1/components?limit=1&cursor="+list.NextCursor))
		if len(list.Items) != 1 || list.Items[0]["slug"] != "build-pipeline" || list.NextCursor != "" {
			t.Fatalf("page 2 %+v", list)
		}
		if l := decode[apiList](t, v.Get("/api/v1/components?team=databases&review=never")); len(l.Items) != 1 {
			t.Fatalf("filtered %+v", l)
		}
		v.Get("/api/v1/components?review=sometime").Expect(t, http.StatusUnprocessableEntity)
		r = m.JSON(http.MethodPatch, "/api/v1/components/postgres-fleet", `{"review_interval_days": 60, "version": 1}`).Expect(t, http.StatusOK)
		if c := decode[map[string]any](t, r); c["review_interval_days"].(float64) != 60 || c["team"] != "databases" || c["version"].(float64) != 2 {
			t.Fatalf("patched %v", c)
		}
		r = m.JSON(http.MethodPatch, "/api/v1/components/postgres-fleet", `{"tier": 2, "version": 1}`).Expect(t, http.StatusConflict)
		if p := decode[apiProblem](t, r); p.Current["slug"] != "postgres-fleet" || p.Current["version"].(float64) != 2 {
			t.Fatalf("conflict %+v", p)
		}
		v.Get("/api/v1/components/nope").Expect(t, http.StatusNotFound)

		// Templates.
		tl := decode[apiList](t, v.Get("/api/v1/review-templates?status=published"))
		if len(tl.Items) != 2 || tl.Items[0]["key"] == "" || tl.Items[0]["version"].(float64) != 1 || tl.Items[0]["status"] != "published" {
			t.Fatalf("templates %+v", tl)
		}
		tpl := decode[map[string]any](t, v.Get("/api/v1/review-templates/operational-readiness"))
		if tpl["question_count"].(float64) != 36 || len(tpl["sections"].([]any)) != 11 {
			t.Fatalf("template %v", tpl["question_count"])
		}
		y := v.Get("/api/v1/review-templates/periodic-operational-review?format=yaml").Expect(t, http.StatusOK)
		if !strings.Contains(y.Body, "debrief: review-template/v1") {
			t.Fatal("yaml export")
		}
		m.Do(http.MethodPost, "/api/v1/review-templates/import", strings.NewReader(queueYAML), http.Header{"Content-Type": {"application/yaml"}}).Expect(t, http.StatusForbidden)
		r = a.Do(http.MethodPost, "/api/v1/review-templates/import", strings.NewReader(strings.Replace(queueYAML, "risk: high", "risk: huge", 1)), http.Header{"Content-Type": {"application/yaml"}})
		r.Expect(t, http.StatusUnprocessableEntity)
		if p := decode[apiProblem](t, r); !strings.Contains(p.Errors["file"], "line 9") {
			t.Fatalf("broken import %+v", p)
		}
		r = a.Do(http.MethodPost, "/api/v1/review-templates/import?publish=true", strings.NewReader(queueYAML), http.Header{"Content-Type": {"application/yaml"}}).Expect(t, http.StatusCreated)
		if j := decode[map[string]any](t, r); j["key"] != "queue-readiness" || j["status"] != "published" {
			t.Fatalf("import %v", j)
		}
		a.Do(http.MethodPost, "/api/v1/review-templates/import", strings.NewReader(queueYAML), http.Header{"Content-Type": {"application/yaml"}}).Expect(t, http.StatusOK)
		lens, _ := os.ReadFile("../models/testdata/lens.json")
		a.Do(http.MethodPost, "/api/v1/review-templates/import?key=resilience", strings.NewReader(string(lens)), http.Header{"Content-Type": {"application/json"}}).Expect(t, http.StatusCreated)

		// A review.
		m.JSON(http.MethodPost, "/api/v1/reviews", `{"component": "postgres-fleet", "template": "operational-readiness", "facilitator": "`+mem.Email+`"}`).Expect(t, http.StatusUnprocessableEntity)
		r = m.JSON(http.MethodPost, "/api/v1/reviews", `{"component": "postgres-fleet", "template": "operational-readiness", "title": "PG readiness",
			"facilitator": "`+fac.Email+`", "scheduled_for": "2030-01-10"}`).Expect(t, http.StatusCreated)
		rv := decode[map[string]any](t, r)
		id := fmt.Sprint(rv["id"])
		if rv["status"] != "draft" || len(rv["answers"].([]any)) != 36 || rv["scheduled_for"] != "2030-01-10" || rv["template_version"].(float64) != 1 {
			t.Fatalf("review %v", rv)
		}
		put := func(c *apptest.Client, key, body string, want int) map[string]any {
			t.Helper()
			return decode[map[string]any](t, c.JSON(http.MethodPut, "/api/v1/reviews/"+id+"/answers/"+key, body).Expect(t, want))
		}
		put(m, "owner-team", `{"state": "met", "notes": "Databases team", "evidence": ["https://catalog.example.com/pg"], "version": 1}`, http.StatusOK)
		p := put(m, "dependency-tracing", `{"state": "not_applicable", "version": 1}`, http.StatusUnprocessableEntity)
		if p["errors"].(map[string]any)["reason"] == nil {
			t.Fatalf("N/A without reason %v", p)
		}
		put(m, "dependency-tracing", `{"state": "not_applicable", "reason": "No remote calls", "version": 1}`, http.StatusOK)
		put(m, "restore-tested", `{"state": "not_met", "notes": "never", "version": 1}`, http.StatusOK)
		p = put(f, "restore-tested", `{"state": "met", "version": 1}`, http.StatusConflict)
		if cur := p["current"].(map[string]any); cur["state"] != "not_met" || cur["version"].(float64) != 2 || cur["updated_by"] != mem.Email {
			t.Fatalf("conflict current %v", cur)
		}
		m.JSON(http.MethodPut, "/api/v1/reviews/"+id+"/answers/no-such-question", `{"state": "met", "version": 1}`).Expect(t, http.StatusNotFound)
		m.JSON(http.MethodPut, "/api/v1/reviews/"+id+"/answers/owner-team", `{"state": "met"}`).Expect(t, http.StatusUnprocessableEntity)

		// Finding and action item.
		r = m.JSON(http.MethodPost, "/api/v1/reviews/"+id+"/findings", `{"title": "Restores never tested", "risk": "critical", "question_key": "restore-tested"}`).Expect(t, http.StatusCreated)
		fd := decode[map[string]any](t, r)
		fl := decode[apiList](t, v.Get("/api/v1/reviews/"+id+"/findings"))
		if len(fl.Items) != 1 || fl.Items[0]["question_key"] != "restore-tested" {
			t.Fatalf("findings %+v", fl)
		}
		r = m.JSON(http.MethodPost, "/api/v1/action-items", fmt.Sprintf(`{"title": "Run a restore drill", "owner": %q, "team": "databases", "due_date": "2030-02-01", "priority": "high", "finding_id": %v, "external_url": "https://tracker.example.com/OPS-9"}`, mem.Email, fd["id"])).Expect(t, http.StatusCreated)
		ai := decode[map[string]any](t, r)
		if ai["source_kind"] != "finding" || ai["owner"] != mem.Email || ai["team"] != "databases" || ai["due_date"] != "2030-02-01" || ai["component"] != "postgres-fleet" || fmt.Sprint(ai["review_id"]) != id {
			t.Fatalf("action item %v", ai)
		}
		aid := fmt.Sprint(ai["id"])
		// A reference that does not resolve or disagrees is a field error, as the pages derive it.
		r = m.JSON(http.MethodPost, "/api/v1/action-items", fmt.Sprintf(`{"title": "x", "finding_id": %v, "component": "no-such-component"}`, fd["id"])).Expect(t, http.StatusUnprocessableEntity)
		if !strings.Contains(r.Body, `"component"`) {
			t.Fatalf("no message for the component: %s", r.Body)
		}
		m.JSON(http.MethodPost, "/api/v1/action-items", `{"title": "x", "finding_id": 999999}`).Expect(t, http.StatusUnprocessableEntity)
		m.JSON(http.MethodPost, "/api/v1/action-items", `{"title": "x", "due_date": "01/02/2030"}`).Expect(t, http.StatusBadRequest)
		if l := decode[apiList](t, v.Get("/api/v1/action-items?owner="+mem.Email+"&priority=high&due_before=2030-02-01&finding_id="+fmt.Sprint(fd["id"]))); len(l.Items) != 1 {
			t.Fatalf("filtered items %+v", l)
		}
		if l := decode[apiList](t, v.Get("/api/v1/action-items?status=done")); len(l.Items) != 0 {
			t.Fatalf("done items %+v", l)
		}
		v.Get("/api/v1/action-items?due_before=soon").Expect(t, http.StatusUnprocessableEntity)
		r = m.JSON(http.MethodPatch, "/api/v1/action-items/"+aid, `{"status": "wont_do"}`).Expect(t, http.StatusUnprocessableEntity)
		if p := decode[apiProblem](t, r); p.Errors["status_reason"] == "" {
			t.Fatalf("won't do without reason %+v", p)
		}
		r = m.JSON(http.MethodPatch, "/api/v1/action-items/"+aid, `{"status": "in_progress", "due_date": "2030-03-01", "version": 1}`).Expect(t, http.StatusOK)
		if j := decode[map[string]any](t, r); j["status"] != "in_progress" || j["due_date"] != "2030-03-01" || j["version"].(float64) != 3 {
			t.Fatalf("patched item %v", j)
		}
		m.JSON(http.MethodPatch, "/api/v1/action-items/"+aid, `{"title": "stale", "version": 1}`).Expect(t, http.StatusConflict)
		if j := decode[map[string]any](t, v.Get("/api/v1/action-items/"+aid)); j["title"] != "Run a restore drill" {
			t.Fatalf("get item %v", j)
		}

		// Lifecycle through the API: submit refuses open questions, then sign-off.
		m.JSON(http.MethodPost, "/api/v1/reviews/"+id+"/transitions", `{"action": "submit"}`).Expect(t, http.StatusConflict)
		full := decode[map[string]any](t, v.Get("/api/v1/reviews/"+id))
		for _, x := range full["answers"].([]any) {
			ans := x.(map[string]any)
			if ans["state"] == "" {
				put(m, ans["question_key"].(string), fmt.Sprintf(`{"state": "met", "version": %v}`, ans["version"]), http.StatusOK)
			}
		}
		m.JSON(http.MethodPost, "/api/v1/reviews/"+id+"/transitions", `{"action": "submit"}`).Expect(t, http.StatusOK)
		m.JSON(http.MethodPost, "/api/v1/reviews/"+id+"/transitions", `{"action": "complete", "decision": "ready"}`).Expect(t, http.StatusForbidden)
		f.JSON(http.MethodPost, "/api/v1/reviews/"+id+"/transitions", `{"action": "complete", "decision": "not_ready"}`).Expect(t, http.StatusUnprocessableEntity)
		r = f.JSON(http.MethodPost, "/api/v1/reviews/"+id+"/transitions", `{"action": "complete", "decision": "not_ready", "decision_notes": "Restores first"}`).Expect(t, http.StatusOK)
		done := decode[map[string]any](t, r)
		score := done["score"].(map[string]any)
		if done["status"] != "completed" || score["answered"].(float64) != 36 || score["risks"].(map[string]any)["high"].(float64) != 1 || score["formula"] == "" {
			t.Fatalf("completed %v", done["score"])
		}
		put(m, "owner-team", `{"state": "not_met", "version": 2}`, http.StatusConflict)
		if c := decode[map[string]any](t, v.Get("/api/v1/components/postgres-fleet")); c["next_review_due"] == nil {
			t.Fatal("no next review date after completion")
		}
		if l := decode[apiList](t, v.Get("/api/v1/reviews?component=postgres-fleet&status=completed")); len(l.Items) != 1 {
			t.Fatalf("reviews %+v", l)
		}
	})
}
