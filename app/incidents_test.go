package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func mustIncident(t *testing.T, db *gorm.DB, in models.IncidentInput) *models.Incident {
	t.Helper()
	inc, err := models.CreateIncident(context.Background(), db, models.SystemActor("test"), in)
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

func utc(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func TestDeclareIncidentKeepsInputOnErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		c, _ := env.As(models.RoleMember)
		doc := c.Get("/incidents/new").Expect(t, http.StatusOK).Doc(t)
		if doc.Find(`#f-started-at`).AttrOr("value", "") == "" {
			t.Error("started is not prefilled")
		}
		if !strings.Contains(doc.Find(apptest.TestID("form-zone")).Text(), "UTC") {
			t.Errorf("zone note %q", doc.Find(apptest.TestID("form-zone")).Text())
		}
		form := url.Values{
			"title": {"Payments time out"}, "status": {"investigating"},
			"started_at": {"2026-03-01T10:00"}, "detected_at": {"2026-03-01T09:00"},
			"resolved_at": {"not a time"}, "tags": {"payments, timeouts"},
		}
		doc = c.Form("/incidents", form).Expect(t, http.StatusUnprocessableEntity).Doc(t)
		if doc.Find(apptest.TestID("error-detected_at")).Text() == "" || doc.Find(apptest.TestID("error-resolved_at")).Text() == "" {
			t.Fatalf("missing field errors:\n%s", doc.Find("form").Text())
		}
		if v := doc.Find(`#f-title`).AttrOr("value", ""); v != "Payments time out" {
			t.Errorf("title not kept: %q", v)
		}
		if v := doc.Find(`#f-tags`).AttrOr("value", ""); v != "payments, timeouts" {
			t.Errorf("tags not kept: %q", v)
		}
		form.Set("detected_at", "2026-03-01T10:03")
		form.Set("resolved_at", "")
		form.Set("acknowledged_at", "2026-03-01T10:07")
		form.Set("link_chat", "https://chat.example.com/inc")
		r := c.Form("/incidents", form).Expect(t, http.StatusSeeOther)
		if r.Header.Get("Location") != "/incidents/INC-1" {
			t.Fatalf("redirect to %s", r.Header.Get("Location"))
		}
		doc = c.Get("/incidents/INC-1").Expect(t, http.StatusOK).Doc(t)
		if got := doc.Find(apptest.TestID("time_to_detect-value")).Text(); got != "3m 00s" {
			t.Errorf("time to detect %q", got)
		}
		if got := doc.Find(apptest.TestID("time_to_acknowledge-value")).Text(); got != "7m 00s" {
			t.Errorf("time to acknowledge %q", got)
		}
		if got := doc.Find(apptest.TestID("time_to_resolve-value")).Text(); got != "—" {
			t.Errorf("undefined time to resolve shows %q", got)
		}
		if !strings.Contains(doc.Find(apptest.TestID("time_to_resolve")).Text(), "resolved − started") {
			t.Error("definition not shown")
		}
		if doc.Find(apptest.TestID("tags")+" a").Length() != 2 {
			t.Error("tags not shown")
		}
	})
}

func TestEditIncidentDetectsStaleVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		inc := mustIncident(t, db, models.IncidentInput{Title: "Cache stampede", StartedAt: utc("2026-03-01T10:00:00Z")})
		a, _ := env.As(models.RoleMember)
		b, _ := env.As(models.RoleMember)
		formA := formOf(t, a.Get("/incidents/INC-1/edit").Expect(t, http.StatusOK))
		formB := formOf(t, b.Get("/incidents/INC-1/edit").Expect(t, http.StatusOK))
		formA.Set("status", "mitigated")
		a.Form("/incidents/INC-1", formA).Expect(t, http.StatusUnprocessableEntity)
		formA.Set("status", "monitoring")
		formA.Set("mitigated_at", "2026-03-01T10:30")
		a.Form("/incidents/INC-1", formA).Expect(t, http.StatusSeeOther)
		formB.Set("title", "Cache stampede on login")
		doc := b.Form("/incidents/INC-1", formB).Expect(t, http.StatusConflict).Doc(t)
		if v := doc.Find(`#f-title`).AttrOr("value", ""); v != "Cache stampede on login" {
			t.Errorf("conflict lost the input: %q", v)
		}
		got, _ := models.GetIncident(context.Background(), db, inc.ID)
		if got.Status != models.StatusMonitoring || got.Title != "Cache stampede" || got.MitigatedAt == nil {
			t.Errorf("stored %+v", got)
		}
		viewer, _ := env.As(models.RoleViewer)
		viewer.Form("/incidents/INC-1", formB).Expect(t, http.StatusForbidden)
		c, _ := env.As(models.RoleViewer)
		c.Get("/incidents/INC-99").Expect(t, http.StatusNotFound)
		c.Get("/incidents/nonsense").Expect(t, http.StatusNotFound)
	})
}

// formOf reads the values of the first form in a page, as a browser would
// submit them.
func formOf(t *testing.T, r *apptest.Response) url.Values {
	t.Helper()
	doc := r.Doc(t)
	v := url.Values{}
	form := doc.Find(`form[data-testid]`).First()
	form.Find("input, textarea, select").Each(func(_ int, s *goquery.Selection) {
		name, ok := s.Attr("name")
		if !ok || name == "_csrf" {
			return
		}
		switch {
		case goquery.NodeName(s) == "select":
			v.Add(name, s.Find("option[selected]").AttrOr("value", s.Find("option").First().AttrOr("value", "")))
		case goquery.NodeName(s) == "textarea":
			v.Add(name, s.Text())
		case s.AttrOr("type", "") == "checkbox":
			if _, on := s.Attr("checked"); on {
				v.Add(name, s.AttrOr("value", "on"))
			}
		default:
			v.Add(name, s.AttrOr("value", ""))
		}
	})
	return v
}

func TestAdminManagesSeverities(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		admin, _ := env.As(models.RoleAdmin)
		member, _ := env.As(models.RoleMember)
		member.Get("/admin/severities").Expect(t, http.StatusForbidden)
		doc := admin.Get("/admin/severities").Expect(t, http.StatusOK).Doc(t)
		if n := doc.Find(apptest.TestID("severity-row")).Length(); n != 4 {
			t.Fatalf("%d severities listed", n)
		}
		doc = admin.Form("/admin/severities", url.Values{"name": {"SEV2"}, "rank": {"5"}, "color": {"slate"}}).Expect(t, http.StatusUnprocessableEntity).Doc(t)
		if doc.Find(apptest.TestID("error-name")).Text() == "" {
			t.Error("duplicate name accepted")
		}
		admin.Form("/admin/severities", url.Values{"name": {"SEV5"}, "rank": {"5"}, "color": {"slate"}, "description": {"Cosmetic."}}).Expect(t, http.StatusSeeOther)
		sev5, err := models.GetSeverityByName(context.Background(), db, "sev5")
		if err != nil {
			t.Fatal(err)
		}
		path := "/admin/severities/" + itoa(sev5.ID)
		form := formOf(t, admin.Get(path+"/edit").Expect(t, http.StatusOK))
		form.Set("color", "purple")
		admin.Form(path, form).Expect(t, http.StatusSeeOther)
		admin.Form(path, form).Expect(t, http.StatusConflict)
		mustIncident(t, db, models.IncidentInput{Title: "x", StartedAt: utc("2026-03-01T10:00:00Z"), SeverityID: &sev5.ID})
		r := admin.Form(path+"/delete", nil).Expect(t, http.StatusSeeOther)
		if !strings.HasSuffix(r.Header.Get("Location"), "/edit") {
			t.Errorf("delete of a used severity went to %s", r.Header.Get("Location"))
		}
		if _, err := models.GetSeverity(context.Background(), db, sev5.ID); err != nil {
			t.Fatal("used severity was deleted")
		}
	})
}
