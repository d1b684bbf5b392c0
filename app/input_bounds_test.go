package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestTextFieldsAreBoundedAtTheEdge: the attacks of the review (a 1 MB
// email at sign-in, a 1.5 MB name on a profile, an over-long API title)
// get 422 naming the field, echo nothing back, store nothing, and leave
// no unbounded audit row; a name just over its limit comes back in the
// form with the input kept.
func TestTextFieldsAreBoundedAtTheEdge(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		member, u := env.As(models.RoleMember)
		huge := strings.Repeat("a", 1<<20) + "@example.com"

		r := env.Client().Form("/signin", url.Values{"email": {huge}, "password": {"wrong-password-123"}}).Expect(t, http.StatusUnprocessableEntity)
		if strings.Contains(r.Body, strings.Repeat("a", 300)) || !strings.Contains(r.Body, "254") {
			t.Fatalf("sign-in answer echoes the email or does not say the limit:\n%.3000s", r.Body)
		}

		name := strings.Repeat("N", 1_500_000)
		r = member.Form("/account/profile", url.Values{"name": {name}, "time_zone": {"UTC"}}).Expect(t, http.StatusUnprocessableEntity)
		if strings.Contains(r.Body, strings.Repeat("N", 300)) {
			t.Fatal("the profile answer echoes the 1.5 MB name")
		}
		// Just over the limit: the form comes back with the input kept.
		near := strings.Repeat("N", models.MaxNameLength+1)
		doc := member.Form("/account/profile", url.Values{"name": {near}, "time_zone": {"UTC"}}).Expect(t, http.StatusUnprocessableEntity).Doc(t)
		if got, _ := doc.Find(`input[name="name"]`).Attr("value"); got != near {
			t.Fatalf("the refused name was not kept in the form (%d characters)", len(got))
		}
		if doc.Find(apptest.TestID("error-name")).Length() != 1 {
			t.Fatal("no message at the name field")
		}
		if got, _ := models.GetUser(context.Background(), db, u.ID); got.Name != u.Name {
			t.Fatalf("the name changed to %d characters", len(got.Name))
		}

		tok := env.APIToken(u)
		api := env.Bearer(tok)
		res := api.JSON(http.MethodPost, "/api/v1/incidents", `{"title": "`+strings.Repeat("t", models.MaxTitleLength+1)+`", "started_at": "2026-01-02T03:04:05Z"}`).Expect(t, http.StatusUnprocessableEntity)
		var p struct {
			Errors map[string]string `json:"errors"`
		}
		_ = json.Unmarshal([]byte(res.Body), &p)
		if !strings.Contains(res.Body, `"title"`) {
			t.Fatalf("the problem does not name the title: %s", res.Body)
		}
		res = api.JSON(http.MethodPost, "/api/v1/incidents", `{"title": "ok", "summary": "`+strings.Repeat("s", models.MaxMarkdownLength+1)+`", "started_at": "2026-01-02T03:04:05Z"}`).Expect(t, http.StatusUnprocessableEntity)
		if !strings.Contains(res.Body, `"summary"`) || !strings.Contains(res.Header.Get("Content-Type"), "problem+json") {
			t.Fatalf("the problem does not name the summary: %.300s", res.Body)
		}

		// Nothing in the audit trail is longer than its bound.
		var longest int
		if err := db.Raw(`SELECT COALESCE(MAX(LENGTH(summary) + LENGTH(changes) + LENGTH(actor_name)), 0) FROM audit_log`).Scan(&longest).Error; err != nil {
			t.Fatal(err)
		}
		if longest > 4*models.MaxAuditText {
			t.Fatalf("an audit row holds %d characters", longest)
		}
	})
}

// TestAuditRowsAreBounded: whatever a caller passes, the audit trail keeps
// at most MaxAuditText characters of each text.
func TestAuditRowsAreBounded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		long := strings.Repeat("é", 100_000)
		err := models.Audit(context.Background(), db, models.Actor{Name: long}, models.AuditUpdate, "user", 1, long,
			map[string]models.Change{"name": {From: long, To: 3}})
		if err != nil {
			t.Fatal(err)
		}
		var e models.AuditEntry
		if err := db.Last(&e).Error; err != nil {
			t.Fatal(err)
		}
		if n := len([]rune(e.Summary)); n > models.MaxAuditText+1 {
			t.Errorf("summary of %d characters", n)
		}
		if n := len([]rune(e.ActorName)); n > models.MaxNameLength+1 {
			t.Errorf("actor of %d characters", n)
		}
		if n := len([]rune(e.Changes)); n > models.MaxAuditText+40 {
			t.Errorf("changes of %d characters", n)
		}
	})
}
