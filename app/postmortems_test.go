package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// pmIncident declares a SEV2 incident commanded by commander, with a
// timeline event, and returns it.
func pmIncident(t *testing.T, db *gorm.DB, commander *models.User) *models.Incident {
	t.Helper()
	ctx := context.Background()
	s, err := models.GetSeverityByName(ctx, db, "SEV2")
	if err != nil {
		t.Fatal(err)
	}
	inc := mustIncident(t, db, models.IncidentInput{Title: "Checkout fails for EU customers", SeverityID: &s.ID, CommanderID: &commander.ID,
		StartedAt: utc("2026-03-02T14:00:00Z"), DetectedAt: utc("2026-03-02T14:06:00Z"), MitigatedAt: utc("2026-03-02T15:00:00Z")})
	if _, err := models.AddTimelineEvents(ctx, db, models.SystemActor("test"), inc.ID, []models.TimelineInput{
		{OccurredAt: utc("2026-03-02T14:06:00Z"), Kind: "detection", Text: "Error-rate alert for checkout-eu fired"},
	}); err != nil {
		t.Fatal(err)
	}
	return inc
}

// startPostmortem starts the postmortem through the pages and returns it.
func startPostmortem(t *testing.T, env *apptest.Env, c *apptest.Client, inc *models.Incident) *models.Postmortem {
	t.Helper()
	base := "/incidents/" + inc.Key() + "/postmortem"
	r := c.Get(base).Expect(t, http.StatusSeeOther)
	if r.Header.Get("Location") != base+"/new" {
		t.Fatalf("no postmortem yet: redirect to %q", r.Header.Get("Location"))
	}
	doc := c.Get(base+"/new").Expect(t, http.StatusOK).Doc(t)
	form := url.Values{}
	doc.Find(`[data-testid="pm-new-form"] select, [data-testid="pm-new-form"] input[type="date"]`).Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		if s.Is("select") {
			form.Set(name, s.Find("option[selected]").AttrOr("value", ""))
		} else {
			form.Set(name, s.AttrOr("value", ""))
		}
	})
	c.Form(base, form).Expect(t, http.StatusSeeOther)
	pm, err := models.GetPostmortemOfIncident(context.Background(), env.DB, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	return pm
}

func sectionPath(inc *models.Incident, sec *models.PostmortemSection) string {
	return "/incidents/" + inc.Key() + "/postmortem/sections/" + strconv.FormatInt(sec.ID, 10)
}

func TestStartPostmortemWithDefaultsBySeverity(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		ic := env.CreateUser(models.RoleMember, "Ines Commander")
		c, _ := env.As(models.RoleMember)
		inc := pmIncident(t, db, ic)

		doc := c.Get("/incidents/"+inc.Key()).Expect(t, http.StatusOK).Doc(t)
		if doc.Find(apptest.TestID("start-postmortem")).Length() != 1 {
			t.Fatal("the incident page does not offer to start the postmortem")
		}
		doc = c.Get("/incidents/"+inc.Key()+"/postmortem/new").Expect(t, http.StatusOK).Doc(t)
		if why := doc.Find(apptest.TestID("pm-defaults-why")).Text(); !strings.Contains(why, "SEV2: due 10 days") {
			t.Errorf("defaults explained as %q", why)
		}
		if v := doc.Find(`#f-owner option[selected]`).AttrOr("value", ""); v != strconv.FormatInt(ic.ID, 10) {
			t.Errorf("owner defaults to %q, want the commander", v)
		}
		if doc.Find(`#f-due-date`).AttrOr("value", "") == "" {
			t.Error("no due date")
		}
		// A bad due date keeps what was typed.
		bad := c.Form("/incidents/"+inc.Key()+"/postmortem", url.Values{"template": {"1"}, "due_date": {"soon"}, "owner": {"x"}}).
			Expect(t, http.StatusUnprocessableEntity).Doc(t)
		if bad.Find(apptest.TestID("error-owner")).Length() != 1 {
			t.Errorf("no owner error:\n%s", bad.Find("form").Text())
		}

		pm := startPostmortem(t, env, c, inc)
		if pm.OwnerID == nil || *pm.OwnerID != ic.ID || len(pm.Sections) != 9 {
			t.Fatalf("postmortem %+v", pm)
		}
		doc = c.Get("/incidents/"+inc.Key()+"/postmortem").Expect(t, http.StatusOK).Doc(t)
		if n := doc.Find(apptest.TestID("section-form")).Length(); n != 9 {
			t.Fatalf("%d section editors", n)
		}
		if got := doc.Find(apptest.TestID("pm-event")).Text(); !strings.Contains(got, "Error-rate alert") {
			t.Errorf("timeline inside the postmortem: %q", got)
		}
		if got := doc.Find(apptest.TestID("time_to_detect-value")).Text(); got != "6m 00s" {
			t.Errorf("time to detect %q", got)
		}
		if doc.Find(apptest.TestID("factor-form")).Length() != 1 {
			t.Error("no factor form in the contributing factors section")
		}
		// Starting twice leads to the existing one.
		c.Form("/incidents/"+inc.Key()+"/postmortem", url.Values{"template": {"1"}}).Expect(t, http.StatusSeeOther)
		doc = c.Get("/incidents/"+inc.Key()).Expect(t, http.StatusOK).Doc(t)
		if doc.Find(apptest.TestID("open-postmortem")).Length() != 1 {
			t.Error("the incident page does not link the postmortem")
		}
		// A viewer reads, a viewer of an incident without one gets a 404.
		v, _ := env.As(models.RoleViewer)
		vdoc := v.Get("/incidents/"+inc.Key()+"/postmortem").Expect(t, http.StatusOK).Doc(t)
		if vdoc.Find(apptest.TestID("section-form")).Length() != 0 || vdoc.Find(apptest.TestID("section-empty")).Length() != 9 {
			t.Error("a viewer gets editors")
		}
		other := mustIncident(t, db, models.IncidentInput{Title: "Other", StartedAt: utc("2026-03-03T10:00:00Z")})
		v.Get("/incidents/"+other.Key()+"/postmortem").Expect(t, http.StatusNotFound)
	})
}

func TestPostmortemSectionsAutosaveWithHintsAndConflicts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		ada, adaUser := env.As(models.RoleMember)
		bob, _ := env.As(models.RoleMember)
		inc := pmIncident(t, db, adaUser)
		pm := startPostmortem(t, env, ada, inc)
		sec := pm.Section("timeline")
		path := sectionPath(inc, sec)

		// Ada's text has hindsight in it: it is saved, and the answer
		// carries the hints with why and a neutral pattern.
		text := "The on-call engineer should have rolled back at 14:10. Obviously the dashboard showed it."
		r := ada.Send(http.MethodPost, path, "application/x-www-form-urlencoded", url.Values{"body": {text}, "version": {"1"}}.Encode()).Expect(t, http.StatusOK)
		doc := r.Doc(t)
		if v := doc.Find(apptest.TestID("section-version")).AttrOr("value", ""); v != "2" {
			t.Fatalf("version after save %q\n%s", v, r.Body)
		}
		hints := doc.Find(apptest.TestID("hint"))
		if hints.Length() != 2 || !strings.Contains(hints.First().Text(), "should have") || !strings.Contains(hints.Text(), "Try:") {
			t.Fatalf("hints %q", hints.Text())
		}
		if !strings.Contains(doc.Find(apptest.TestID("section-preview")).Text(), "should have rolled back") {
			t.Error("no preview of the saved text")
		}
		got, err := models.GetPostmortemSection(context.Background(), db, pm.ID, sec.ID)
		if err != nil || got.Body != text {
			t.Fatalf("stored %q, %v", got.Body, err)
		}

		// Bob's page still says version 1: his save is a conflict that
		// shows both texts and stores nothing.
		mine := "Bob: the alert fired at 14:06 and the runbook said to wait."
		r = bob.Send(http.MethodPost, path, "application/x-www-form-urlencoded", url.Values{"body": {mine}, "version": {"1"}}.Encode()).Expect(t, http.StatusConflict)
		doc = r.Doc(t)
		if doc.Find(apptest.TestID("conflict-mine")).Text() != mine || doc.Find(apptest.TestID("conflict-theirs")).Text() != text {
			t.Fatalf("conflict view:\n%s", r.Body)
		}
		keep := doc.Find(apptest.TestID("keep-mine")).AttrOr("value", "")
		if keep != "2" || doc.Find(`input[name="version"]`).AttrOr("value", "") != "1" {
			t.Fatalf("keep-mine version %q, stale version kept %q", keep, doc.Find(`input[name="version"]`).AttrOr("value", ""))
		}
		if got, _ := models.GetPostmortemSection(context.Background(), db, pm.ID, sec.ID); got.Body != text {
			t.Fatal("a conflicting save overwrote Ada's text")
		}
		// "Use theirs" loads the section fresh.
		frag := bob.Do(http.MethodGet, path, nil, http.Header{"HX-Request": {"true"}}).Expect(t, http.StatusOK).Doc(t)
		if frag.Find(apptest.TestID("section-text")).Text() != text {
			t.Fatal("use theirs does not load the stored text")
		}
		// "Keep mine" saves over the version Bob has now seen.
		bob.Send(http.MethodPost, path, "application/x-www-form-urlencoded", url.Values{"body": {mine}, "version": {"1"}, "base_version": {keep}}.Encode()).Expect(t, http.StatusOK)
		if got, _ := models.GetPostmortemSection(context.Background(), db, pm.ID, sec.ID); got.Body != mine || got.Version != 3 {
			t.Fatalf("keep mine stored %q v%d", got.Body, got.Version)
		}
		// Without JavaScript a save posts the form and comes back.
		r = ada.Form(path, url.Values{"body": {"Plain post"}, "version": {"3"}}).Expect(t, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != "/incidents/"+inc.Key()+"/postmortem#sec-timeline" {
			t.Errorf("redirect %q", loc)
		}
		r = bob.Form(path, url.Values{"body": {"Stale plain post"}, "version": {"3"}}).Expect(t, http.StatusConflict)
		if !strings.Contains(r.Body, "Stale plain post") || !strings.Contains(r.Body, `data-testid="section-conflict"`) {
			t.Error("the full page conflict does not show both texts")
		}
		// The history has Ada's, Bob's and Ada's revisions.
		hist := ada.Get(path+"/history").Expect(t, http.StatusOK).Doc(t)
		if n := hist.Find(apptest.TestID("revision")).Length(); n != 3 {
			t.Errorf("%d revisions", n)
		}
	})
}

func TestPostmortemReviewPublishAndReadOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		member, mu := env.As(models.RoleMember)
		fac, _ := env.As(models.RoleFacilitator)
		inc := pmIncident(t, db, mu)
		pm := startPostmortem(t, env, member, inc)
		base := "/incidents/" + inc.Key() + "/postmortem"
		sum := pm.Section("summary")
		member.Send(http.MethodPost, sectionPath(inc, sum), "application/x-www-form-urlencoded",
			url.Values{"body": {"It was human error: a careless deploy."}, "version": {"1"}}.Encode()).Expect(t, http.StatusOK)

		// Factors through htmx.
		r := member.Send(http.MethodPost, base+"/factors", "application/x-www-form-urlencoded", url.Values{"kind": {"contributing_factor"}, "title": {""}}.Encode()).Expect(t, http.StatusUnprocessableEntity)
		if r.Doc(t).Find(apptest.TestID("error-title")).Length() != 1 {
			t.Fatal("no title error")
		}
		r = member.Send(http.MethodPost, base+"/factors", "application/x-www-form-urlencoded", url.Values{"kind": {"contributing_factor"}, "title": {"Deploys to both regions run in one step"}}.Encode()).Expect(t, http.StatusOK)
		if !strings.Contains(r.Doc(t).Find(apptest.TestID("factor")).Text(), "both regions") {
			t.Fatal("factor not listed")
		}

		member.Form(base+"/status", url.Values{"from": {"draft"}, "to": {"in_review"}}).Expect(t, http.StatusSeeOther)
		doc := fac.Get(base).Expect(t, http.StatusOK).Doc(t)
		review := doc.Find(apptest.TestID("review-hints"))
		if review.Find(apptest.TestID("review-hint")).Length() != 2 || !strings.Contains(review.Text(), "human error") {
			t.Fatalf("reviewer hints: %q", review.Text())
		}
		// Members may not publish, nor use the member route to do it.
		member.Form(base+"/publish", url.Values{"from": {"in_review"}}).Expect(t, http.StatusForbidden)
		member.Form(base+"/status", url.Values{"from": {"in_review"}, "to": {"published"}}).Expect(t, http.StatusForbidden)
		fac.Form(base+"/publish", url.Values{"from": {"in_review"}}).Expect(t, http.StatusSeeOther)
		// A second publish from a stale page changes nothing.
		fac.Form(base+"/publish", url.Values{"from": {"in_review"}}).Expect(t, http.StatusSeeOther)

		doc = member.Get(base).Expect(t, http.StatusOK).Doc(t)
		if doc.Find(apptest.TestID("pm-readonly")).Length() != 1 || doc.Find(apptest.TestID("section-form")).Length() != 0 {
			t.Fatal("published postmortem is still editable")
		}
		if !strings.Contains(doc.Find(apptest.TestID("section-rendered")).Text(), "human error") {
			t.Error("published text not rendered")
		}
		r = member.Send(http.MethodPost, sectionPath(inc, sum), "application/x-www-form-urlencoded", url.Values{"body": {"late"}, "version": {"2"}}.Encode()).Expect(t, http.StatusConflict)
		if !strings.Contains(r.Body, "read-only") {
			t.Errorf("late edit answer: %s", r.Body)
		}
		member.Send(http.MethodPost, base+"/factors", "application/x-www-form-urlencoded", url.Values{"title": {"late"}}.Encode()).Expect(t, http.StatusConflict)
		// Action items are still welcome.
		member.Form(base+"/actions", url.Values{"title": {"Split the EU deploy"}, "priority": {"high"}, "owner": {mu.Email}, "due_date": {"2026-04-01"}}).Expect(t, http.StatusSeeOther)
		doc = member.Get(base).Expect(t, http.StatusOK).Doc(t)
		if !strings.Contains(doc.Find(apptest.TestID("pm-action-items")).Text(), "Split the EU deploy") {
			t.Fatal("action item not listed")
		}
		items, _ := models.ListPostmortemActionItems(context.Background(), db, pm.ID)
		ad := member.Get("/action-items/"+strconv.FormatInt(items[0].ID, 10)).Expect(t, http.StatusOK).Doc(t)
		if !strings.Contains(ad.Text(), inc.Key()) {
			t.Error("the action item does not link its incident")
		}
		bad := member.Form(base+"/actions", url.Values{"title": {""}, "priority": {"medium"}}).Expect(t, http.StatusUnprocessableEntity).Doc(t)
		if bad.Find(`details.pm-add-action[open]`).Length() != 1 {
			t.Error("the action form with errors is not open")
		}

		// Export and print.
		res := member.Get(base+"/export.md").Expect(t, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/markdown") {
			t.Errorf("content type %q", ct)
		}
		for _, want := range []string{"# Postmortem: Checkout fails for EU customers (" + inc.Key() + ")", "| Time to detect | 6m 00s | detected − started |",
			"| Time to resolve | undefined |", "## Summary", "It was human error", "Error-rate alert for checkout-eu fired",
			"Deploys to both regions run in one step", "| Split the EU deploy |", "**Status:** Published"} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("export lacks %q:\n%s", want, res.Body)
			}
		}
		p := member.Get(base+"/print").Expect(t, http.StatusOK).Doc(t)
		if p.Find(apptest.TestID("pm-print-view")).Length() != 1 || p.Find("textarea").Length() != 0 {
			t.Error("print view")
		}
		// Admins may reopen; the list shows it.
		admin, _ := env.As(models.RoleAdmin)
		fac.Form(base+"/reopen", nil).Expect(t, http.StatusForbidden)
		admin.Form(base+"/reopen", nil).Expect(t, http.StatusSeeOther)
		list := member.Get("/postmortems?status=draft").Expect(t, http.StatusOK).Doc(t)
		if list.Find(apptest.TestID("pm-row")).Length() != 1 {
			t.Error("list by status")
		}
	})
}

func TestAdminEditsPostmortemTemplatesAndDefaults(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		admin, _ := env.As(models.RoleAdmin)
		member, _ := env.As(models.RoleMember)
		member.Get("/admin/postmortem-templates").Expect(t, http.StatusForbidden)

		doc := admin.Get("/admin/postmortem-templates").Expect(t, http.StatusOK).Doc(t)
		if doc.Find(apptest.TestID("pmt-default")).Length() != 1 || !strings.Contains(doc.Find(apptest.TestID("pmt-table")).Text(), "Where we got lucky") {
			t.Fatal("default template not listed")
		}
		bad := admin.Form("/admin/postmortem-templates", url.Values{"name": {"Security"}, "sections.0.title": {""}, "sections.0.guidance": {"orphan"}}).
			Expect(t, http.StatusUnprocessableEntity).Doc(t)
		if bad.Find(apptest.TestID("error-sections.0.title")).Length() != 1 {
			t.Fatal("no row error")
		}
		admin.Form("/admin/postmortem-templates", url.Values{
			"name": {"Security incident"}, "sections.0.title": {"Disclosure"}, "sections.0.position": {"2"},
			"sections.1.title": {"What happened"}, "sections.1.position": {"1"}, "sections.2.title": {""},
		}).Expect(t, http.StatusSeeOther)
		tpls, _ := models.ListPostmortemTemplates(context.Background(), db, true)
		var sec *models.PostmortemTemplate
		for i := range tpls {
			if tpls[i].Name == "Security incident" {
				sec = &tpls[i]
			}
		}
		if sec == nil || len(sec.Sections) != 2 || sec.Sections[0].Title != "What happened" {
			t.Fatalf("template %+v", sec)
		}
		edit := "/admin/postmortem-templates/" + strconv.FormatInt(sec.ID, 10)
		form := admin.Get(edit).Expect(t, http.StatusOK).Doc(t)
		if form.Find(`input[name="sections.1.key"]`).AttrOr("value", "") != "disclosure" {
			t.Fatal("keys not carried")
		}
		admin.Form(edit, url.Values{"name": {"Security incident"}, "version": {"1"}, "sections.0.key": {"what_happened"}, "sections.0.title": {"What happened?"}}).Expect(t, http.StatusSeeOther)
		r := admin.Form(edit, url.Values{"name": {"Security"}, "version": {"1"}, "sections.0.title": {"X"}}).Expect(t, http.StatusConflict)
		if !strings.Contains(r.Body, "Someone else saved this template") {
			t.Error("no conflict message")
		}
		admin.Form(edit+"/default", nil).Expect(t, http.StatusSeeOther)
		if d, _ := models.DefaultPostmortemTemplate(context.Background(), db); d.ID != sec.ID {
			t.Fatal("default not changed")
		}

		sev1, _ := models.GetSeverityByName(context.Background(), db, "SEV1")
		id := strconv.FormatInt(sev1.ID, 10)
		r = admin.Form("/admin/postmortem-defaults", url.Values{"defaults." + id + ".due_days": {"0"}}).Expect(t, http.StatusUnprocessableEntity)
		if r.Doc(t).Find(apptest.TestID("error-defaults."+id+".due_days")).Length() != 1 {
			t.Fatal("no due days error")
		}
		vals := url.Values{}
		for _, d := range must(models.ListPostmortemDefaults(context.Background(), db)) {
			vals.Set("defaults."+strconv.FormatInt(d.Severity.ID, 10)+".due_days", strconv.Itoa(d.DueDays))
		}
		vals.Set("defaults."+id+".due_days", "3")
		admin.Form("/admin/postmortem-defaults", vals).Expect(t, http.StatusSeeOther)
		if rows := must(models.ListPostmortemDefaults(context.Background(), db)); rows[0].DueDays != 3 {
			t.Fatalf("SEV1 due days %d", rows[0].DueDays)
		}
	})
}

func TestPostmortemAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		c, u := env.As(models.RoleMember)
		inc := pmIncident(t, db, u)
		pm := startPostmortem(t, env, c, inc)
		c.Send(http.MethodPost, sectionPath(inc, pm.Section("summary")), "application/x-www-form-urlencoded",
			url.Values{"body": {"Short **summary**."}, "version": {"1"}}.Encode()).Expect(t, http.StatusOK)
		api := env.Bearer(env.APIToken(u))
		r := api.JSON(http.MethodGet, "/api/v1/incidents/"+inc.Key()+"/postmortem", "").Expect(t, http.StatusOK)
		var got struct {
			IncidentKey string `json:"incident_key"`
			Status      string `json:"status"`
			Owner       string `json:"owner"`
			Sections    []struct {
				Key, Body string
				Version   int
			} `json:"sections"`
			ActionItemIDs []int64 `json:"action_item_ids"`
		}
		if err := json.Unmarshal([]byte(r.Body), &got); err != nil {
			t.Fatal(err)
		}
		if got.IncidentKey != inc.Key() || got.Status != "draft" || got.Owner != u.Email || len(got.Sections) != 9 ||
			got.Sections[0].Body != "Short **summary**." || got.Sections[0].Version != 2 || got.ActionItemIDs == nil {
			t.Fatalf("postmortem %s", r.Body)
		}
		other := mustIncident(t, db, models.IncidentInput{Title: "No postmortem", StartedAt: utc("2026-03-05T10:00:00Z")})
		r = api.JSON(http.MethodGet, "/api/v1/incidents/"+other.Key()+"/postmortem", "").Expect(t, http.StatusNotFound)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
			t.Errorf("content type %q", ct)
		}
	})
}
