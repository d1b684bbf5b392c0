package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

const pdSecret = "pd-signing-secret-0123456789"

func pdEvent(id, typ, occurred string) string {
	return fmt.Sprintf(`{"event": {"id": %q, "event_type": %q, "resource_type": "incident", "occurred_at": %q,
		"agent": {"id": "PUSER1", "type": "user_reference", "summary": "Pat Oncall"},
		"data": {"id": "Q1ABCDEF", "type": "incident", "self": "https://api.pagerduty.com/incidents/Q1ABCDEF",
			"html_url": "https://acme.pagerduty.com/incidents/Q1ABCDEF", "number": 42, "status": "triggered",
			"incident_key": "abc", "created_at": "2026-03-01T10:00:00Z", "title": "Checkout error rate above 5%%",
			"urgency": "high", "service": {"id": "PSVC", "type": "service_reference", "summary": "Checkout API"},
			"priority": {"id": "PPRIO", "type": "priority_reference", "summary": "P1"}}}}`, id, typ, occurred)
}

func deliver(c *apptest.Client, path, body, signature string) *apptest.Response {
	h := http.Header{"Content-Type": {"application/json"}}
	if signature != "" {
		h.Set("X-PagerDuty-Signature", signature)
	}
	return c.Do(http.MethodPost, path, strings.NewReader(body), h)
}

func TestPagerDutyWebhook(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		env := apptest.New(t, db)
		admin, _ := env.As(models.RoleAdmin)

		// The admin creates the integration, sees its URL, and pastes the secret.
		r := admin.Form("/admin/integrations", url.Values{"name": {"PagerDuty prod"}, "default_severity": {itoa(*sevID(t, db, "SEV3"))}}).Expect(t, http.StatusSeeOther)
		page := r.Header.Get("Location")
		doc := admin.Get(page).Expect(t, http.StatusOK).Doc(t)
		hook := doc.Find(apptest.TestID("webhook-url")).AttrOr("value", "")
		if !strings.HasPrefix(hook, env.Server.URL+"/api/v1/webhooks/pagerduty/") {
			t.Fatalf("webhook URL %q", hook)
		}
		path := strings.TrimPrefix(hook, env.Server.URL)
		pd := env.Client()

		// Before the secret is set every delivery is refused.
		body := pdEvent("EV1", "incident.triggered", "2026-03-01T10:00:05Z")
		deliver(pd, path, body, models.SignPagerDuty(pdSecret, []byte(body))).Expect(t, http.StatusUnauthorized)

		form := formOf(t, admin.Get(page).Expect(t, http.StatusOK))
		form.Set("secret", pdSecret)
		form.Set("priority_map", "P1 = SEV1\nP2 = SEV2")
		admin.Form(page, form).Expect(t, http.StatusSeeOther)
		if strings.Contains(admin.Get(page).Body, pdSecret) {
			t.Fatal("the page shows the secret")
		}
		member, _ := env.As(models.RoleMember)
		member.Get(page).Expect(t, http.StatusForbidden)

		// Unsigned and wrongly signed deliveries are refused, storing nothing.
		r = deliver(pd, path, body, "")
		if r.StatusCode != http.StatusUnauthorized || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("unsigned: %d %s", r.StatusCode, r.Body)
		}
		deliver(pd, path, body, models.SignPagerDuty("another secret", []byte(body))).Expect(t, http.StatusForbidden)
		deliver(pd, path, body+" ", models.SignPagerDuty(pdSecret, []byte(body))).Expect(t, http.StatusForbidden)
		deliver(pd, "/api/v1/webhooks/pagerduty/nope", body, models.SignPagerDuty(pdSecret, []byte(body))).Expect(t, http.StatusNotFound)
		if n, _ := models.CountIncidents(ctx, db, models.IncidentFilter{}); n != 0 {
			t.Fatalf("%d incidents after refused deliveries", n)
		}

		// Malformed but signed: 400 problem+json, nothing stored.
		for _, bad := range []string{`not json`, `{"event": {"event_type": "incident.triggered", "occurred_at": "2026-03-01T10:00:00Z"}}`,
			`{"event": {"id": "X", "event_type": "incident.triggered", "occurred_at": "yesterday"}}`,
			`{"event": {"id": "X", "event_type": "incident.triggered", "occurred_at": "2026-03-01T10:00:00Z", "data": {"id": "Q1"}}}`} {
			r = deliver(pd, path, bad, models.SignPagerDuty(pdSecret, []byte(bad)))
			if r.StatusCode != http.StatusBadRequest || r.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s: %d %s", bad, r.StatusCode, r.Body)
			}
		}
		// Unknown event types are acknowledged and ignored.
		other := pdEvent("EV0", "incident.annotated", "2026-03-01T10:01:00Z")
		r = deliver(pd, path, other, models.SignPagerDuty(pdSecret, []byte(other))).Expect(t, http.StatusAccepted)
		if !strings.Contains(r.Body, `"ignored"`) {
			t.Errorf("ignored: %s", r.Body)
		}
		var events int64
		db.Model(&models.WebhookEvent{}).Count(&events)
		if n, _ := models.CountIncidents(ctx, db, models.IncidentFilter{}); n != 0 || events != 0 {
			t.Fatalf("%d incidents, %d events after malformed and ignored deliveries", n, events)
		}

		// Signed triggered → created.
		r = deliver(pd, path, body, models.SignPagerDuty(pdSecret, []byte(body))).Expect(t, http.StatusOK)
		var res models.WebhookResult
		json.Unmarshal([]byte(r.Body), &res)
		if res.Status != "processed" || res.Action != "created" || res.Incident != "INC-1" {
			t.Fatalf("triggered: %s", r.Body)
		}
		inc, err := models.GetIncidentByExternal(ctx, db, models.PagerDutySource, "Q1ABCDEF")
		if err != nil {
			t.Fatal(err)
		}
		if !inc.StartedAt.Equal(*utc("2026-03-01T10:00:00Z")) || inc.DetectedAt == nil || inc.Severity == nil || inc.Severity.Name != "SEV1" ||
			inc.Status != models.StatusInvestigating || len(inc.Links) != 1 || inc.Links[0].Kind != "pager" {
			t.Errorf("created %+v", inc)
		}
		// Acknowledged (with a rotated secret signature first in the list) → updated.
		ack := pdEvent("EV2", "incident.acknowledged", "2026-03-01T10:04:00Z")
		sig := models.SignPagerDuty("old secret", []byte(ack)) + "," + models.SignPagerDuty(pdSecret, []byte(ack))
		deliver(pd, path, ack, sig).Expect(t, http.StatusOK)
		resolved := pdEvent("EV3", "incident.resolved", "2026-03-01T11:00:00Z")
		r = deliver(pd, path, resolved, models.SignPagerDuty(pdSecret, []byte(resolved))).Expect(t, http.StatusOK)
		json.Unmarshal([]byte(r.Body), &res)
		if res.Action != "updated" {
			t.Errorf("resolved: %s", r.Body)
		}
		inc, _ = models.GetIncidentByExternal(ctx, db, models.PagerDutySource, "Q1ABCDEF")
		d := inc.Durations()
		if inc.Status != models.StatusResolved || d.Acknowledge == nil || d.Acknowledge.Minutes() != 4 || d.Resolve == nil || d.Resolve.Hours() != 1 {
			t.Fatalf("after ack and resolve: %s %v %v", inc.Status, d.Acknowledge, d.Resolve)
		}
		timeline, _ := models.ListTimeline(ctx, db, inc.ID)
		if len(timeline) != 3 || timeline[1].Text != "Acknowledged in PagerDuty by Pat Oncall." || timeline[2].Milestone != "resolved" {
			t.Fatalf("timeline %+v", timeline)
		}

		// Replays change nothing.
		version := inc.Version
		for _, b := range []string{body, ack, resolved} {
			r = deliver(pd, path, b, models.SignPagerDuty(pdSecret, []byte(b))).Expect(t, http.StatusOK)
			if !strings.Contains(r.Body, `"duplicate"`) {
				t.Errorf("replay: %s", r.Body)
			}
		}
		inc, _ = models.GetIncidentByExternal(ctx, db, models.PagerDutySource, "Q1ABCDEF")
		timeline, _ = models.ListTimeline(ctx, db, inc.ID)
		if inc.Version != version || len(timeline) != 3 {
			t.Errorf("replay changed the incident: v%d → v%d, %d events", version, inc.Version, len(timeline))
		}
		if n, _ := models.CountIncidents(ctx, db, models.IncidentFilter{}); n != 1 {
			t.Errorf("%d incidents after replays", n)
		}
		doc = admin.Get(page).Expect(t, http.StatusOK).Doc(t)
		if doc.Find(apptest.TestID("webhook-events")+" tbody tr").Length() != 3 {
			t.Error("deliveries not listed")
		}
		// A disabled integration's URL stops working.
		form = formOf(t, admin.Get(page).Expect(t, http.StatusOK))
		form.Del("enabled")
		admin.Form(page, form).Expect(t, http.StatusSeeOther)
		next := pdEvent("EV9", "incident.triggered", "2026-03-02T10:00:00Z")
		deliver(pd, path, next, models.SignPagerDuty(pdSecret, []byte(next))).Expect(t, http.StatusNotFound)
	})
}

func TestVerifyPagerDutySignature(t *testing.T) {
	body := []byte(`{"event":{}}`)
	good := models.SignPagerDuty("s3cret", body)
	for header, want := range map[string]bool{
		good:                                    true,
		"v1=00," + good:                         true,
		"v1=00, " + good:                        true,
		strings.ToUpper(good):                   false,
		good[:len(good)-1]:                      false,
		"":                                      false,
		"v0=" + strings.TrimPrefix(good, "v1="): false,
	} {
		if got := models.VerifyPagerDutySignature("s3cret", body, header); got != want {
			t.Errorf("%q: %v, want %v", header, got, want)
		}
	}
	if models.VerifyPagerDutySignature("", body, models.SignPagerDuty("", body)) {
		t.Error("an empty secret verified")
	}
}
