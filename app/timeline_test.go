package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// inZone gives a user a time zone preference.
func inZone(t *testing.T, db *gorm.DB, u *models.User, zone string) {
	t.Helper()
	if _, err := models.UpdateUser(context.Background(), db, models.SystemActor("test"), u.ID, models.UserUpdate{TimeZone: &zone}); err != nil {
		t.Fatal(err)
	}
}

func htmx(c *apptest.Client, path string, v url.Values) *apptest.Response {
	return c.Send(http.MethodPost, path, "application/x-www-form-urlencoded", v.Encode())
}

func TestTimelineInlineAddEditDeleteAndMilestones(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		inc := mustIncident(t, db, models.IncidentInput{Title: "Login fails", StartedAt: utc("2026-03-01T10:00:00Z")})
		c, _ := env.As(models.RoleMember)
		base := "/incidents/" + inc.Key() + "/timeline"

		// Bad input: 422 with the fragment and the typed text kept.
		r := htmx(c, base, url.Values{"occurred_at": {"2026-03-01T10:05"}, "kind": {"gossip"}, "text": {"error spike"}}).Expect(t, http.StatusUnprocessableEntity)
		doc := r.Doc(t)
		if doc.Find(apptest.TestID("error-kind")).Length() != 1 || !strings.Contains(doc.Find("#tl-add-text").Text(), "error spike") {
			t.Fatalf("422 fragment:\n%.2000s", r.Body)
		}
		if strings.Contains(r.Body, "<html") {
			t.Error("htmx got a whole page")
		}
		// Without JavaScript the same refusal is the whole incident page,
		// postmortem card included.
		startPostmortem(t, env, c, inc)
		r = c.Form(base, url.Values{"occurred_at": {"2026-03-01T10:05"}, "kind": {"gossip"}, "text": {"error spike"}}).Expect(t, http.StatusUnprocessableEntity)
		if d := r.Doc(t); d.Find(apptest.TestID("error-kind")).Length() != 1 || d.Find(apptest.TestID("open-postmortem")).Length() != 1 {
			t.Fatalf("422 page without JavaScript:\n%.1500s", r.Body)
		}
		// A milestone that would put mitigated before started is refused
		// on its time field.
		r = htmx(c, base, url.Values{"occurred_at": {"2026-03-01T09:00"}, "kind": {"milestone"}, "milestone": {"mitigated"}, "text": {"rolled back"}}).Expect(t, http.StatusUnprocessableEntity)
		if !strings.Contains(r.Doc(t).Find(apptest.TestID("error-occurred_at")).Text(), "Mitigated cannot be earlier than started") {
			t.Fatalf("milestone error: %.1500s", r.Body)
		}

		htmx(c, base, url.Values{"occurred_at": {"2026-03-01T10:04"}, "kind": {"detection"}, "text": {"**Alert**: login 5xx > 5%"}}).Expect(t, http.StatusOK)
		r = htmx(c, base, url.Values{"occurred_at": {"2026-03-01T10:30"}, "kind": {"milestone"}, "milestone": {"mitigated"}, "text": {"Rolled back"}}).Expect(t, http.StatusOK)
		doc = r.Doc(t)
		if n := doc.Find(apptest.TestID("timeline-event")).Length(); n != 2 {
			t.Fatalf("%d events after adding two", n)
		}
		if doc.Find(apptest.TestID("event-text")+" strong").Text() != "Alert" {
			t.Error("Markdown not rendered")
		}
		// The milestone set the incident time; the durations come along
		// out of band.
		if got := doc.Find(`#durations[hx-swap-oob] ` + apptest.TestID("time_to_mitigate-value")).Text(); got != "30m 00s" {
			t.Errorf("time to mitigate after milestone %q", got)
		}
		got, _ := models.GetIncident(context.Background(), db, inc.ID)
		if got.MitigatedAt == nil || !got.MitigatedAt.Equal(*utc("2026-03-01T10:30:00Z")) {
			t.Fatalf("mitigated %v", got.MitigatedAt)
		}

		events, _ := models.ListTimeline(context.Background(), db, inc.ID)
		ev := events[1]
		edit := base + "/" + itoa(ev.ID)
		doc = c.Do(http.MethodGet, edit+"/edit", nil, http.Header{"HX-Request": {"true"}}).Expect(t, http.StatusOK).Doc(t)
		if doc.Find(apptest.TestID("event-edit-form")).Length() != 1 {
			t.Fatal("no inline edit form")
		}
		// Moving the milestone moves the incident time.
		htmx(c, edit, url.Values{"occurred_at": {"2026-03-01T10:20"}, "kind": {"milestone"}, "milestone": {"mitigated"}, "text": {"Rolled back v42"}, "version": {"1"}}).Expect(t, http.StatusOK)
		got, _ = models.GetIncident(context.Background(), db, inc.ID)
		if !got.MitigatedAt.Equal(*utc("2026-03-01T10:20:00Z")) {
			t.Errorf("mitigated after edit %v", got.MitigatedAt)
		}
		// A stale version is a conflict that keeps what was typed.
		r = htmx(c, edit, url.Values{"occurred_at": {"2026-03-01T10:21"}, "kind": {"action"}, "text": {"mine"}, "version": {"1"}}).Expect(t, http.StatusConflict)
		if !strings.Contains(r.Doc(t).Find(apptest.TestID("event-edit-form")+" textarea").Text(), "mine") {
			t.Error("conflict lost the text")
		}
		htmx(c, base+"/"+itoa(events[0].ID)+"/delete", url.Values{}).Expect(t, http.StatusOK)
		events, _ = models.ListTimeline(context.Background(), db, inc.ID)
		if len(events) != 1 || events[0].Text != "Rolled back v42" {
			t.Fatalf("after delete: %+v", events)
		}
		// Without htmx the forms still work: a redirect back to the page.
		r = c.Form(base, url.Values{"occurred_at": {"2026-03-01T10:40"}, "kind": {"communication"}, "text": {"Status page updated"}}).Expect(t, http.StatusSeeOther)
		if r.Header.Get("Location") != "/incidents/"+inc.Key()+"#timeline" {
			t.Errorf("redirect %s", r.Header.Get("Location"))
		}
		// Viewers read but do not write.
		v, _ := env.As(models.RoleViewer)
		doc = v.Get("/incidents/"+inc.Key()).Expect(t, http.StatusOK).Doc(t)
		if doc.Find(apptest.TestID("timeline-add-form")).Length() != 0 || doc.Find(apptest.TestID("timeline-event")).Length() != 2 {
			t.Error("viewer sees the add form or misses events")
		}
		htmx(v, base, url.Values{"text": {"x"}}).Expect(t, http.StatusForbidden)
	})
}

// TestTimelineAcrossDSTChange renders a timeline that spans the start of
// summer time in Berlin and the next day: times are in the viewer's zone,
// each names its abbreviation, and every day is labelled.
func TestTimelineAcrossDSTChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		// 2026-03-29: at 01:00 UTC Berlin goes from 02:00 CET to 03:00 CEST.
		inc := mustIncident(t, db, models.IncidentInput{Title: "Batch jobs ran twice", StartedAt: utc("2026-03-29T00:20:00Z")})
		_, err := models.AddTimelineEvents(context.Background(), db, models.SystemActor("test"), inc.ID, []models.TimelineInput{
			{OccurredAt: utc("2026-03-29T00:30:00Z"), Kind: "detection", Text: "before the change"},
			{OccurredAt: utc("2026-03-29T01:30:00Z"), Kind: "action", Text: "after the change"},
			{OccurredAt: utc("2026-03-29T23:30:00Z"), Kind: "action", Text: "next day in Berlin"},
		})
		if err != nil {
			t.Fatal(err)
		}
		c, u := env.As(models.RoleMember)
		inZone(t, db, u, "Europe/Berlin")
		doc := c.Get("/incidents/"+inc.Key()).Expect(t, http.StatusOK).Doc(t)
		var times, zones []string
		doc.Find(apptest.TestID("timeline-event")).Each(func(_ int, s *goquery.Selection) {
			times = append(times, s.Find(apptest.TestID("event-time")).Text())
			zones = append(zones, s.Find(apptest.TestID("event-zone")).Text())
		})
		if strings.Join(times, " ") != "01:30 03:30 01:30" || strings.Join(zones, " ") != "CET CEST CEST" {
			t.Fatalf("times %v zones %v", times, zones)
		}
		var days []string
		doc.Find(apptest.TestID("timeline-day")).Each(func(_ int, s *goquery.Selection) { days = append(days, s.Text()) })
		if strings.Join(days, "|") != "Sunday 29 March 2026|Monday 30 March 2026" {
			t.Errorf("day labels %q", days)
		}
		if note := doc.Find(apptest.TestID("timeline-zone")).Text(); !strings.Contains(note, "Europe/Berlin") {
			t.Errorf("zone note %q", note)
		}
		if ts := doc.Find(apptest.TestID("started_at")).Text(); !strings.Contains(ts, "01:20 CET") {
			t.Errorf("started shown as %q", ts)
		}
		// htmx fragments are rendered for the same viewer: zone and CSRF token.
		frag := c.Do(http.MethodGet, "/incidents/"+inc.Key()+"/timeline", nil, http.Header{"HX-Request": {"true"}}).Expect(t, http.StatusOK).Doc(t)
		if got := frag.Find(apptest.TestID("event-time")).First().Text(); got != "01:30" {
			t.Errorf("fragment shows %s", got)
		}
		if frag.Find(`input[name="_csrf"]`).First().AttrOr("value", "") == "" {
			t.Error("fragment forms have no CSRF token")
		}

		// The same incident for a viewer in UTC: one offset, so no
		// per-event abbreviation; the zone is named once.
		c2, _ := env.As(models.RoleViewer)
		doc = c2.Get("/incidents/"+inc.Key()).Expect(t, http.StatusOK).Doc(t)
		if doc.Find(apptest.TestID("event-zone")).Length() != 0 {
			t.Error("abbreviations shown without an offset change")
		}
		if got := doc.Find(apptest.TestID("event-time")).First().Text(); got != "00:30" {
			t.Errorf("UTC viewer sees %s", got)
		}
		if note := doc.Find(apptest.TestID("timeline-zone")).Text(); !strings.Contains(note, "Times in UTC") {
			t.Errorf("zone note %q", note)
		}
	})
}

func TestPasteChatLogPreviewThenSave(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		inc := mustIncident(t, db, models.IncidentInput{Title: "Queue stuck", StartedAt: utc("2026-03-01T13:00:00Z")})
		c, u := env.As(models.RoleMember)
		inZone(t, db, u, "Europe/Berlin")
		base := "/incidents/" + inc.Key() + "/timeline/paste"
		log := "joined the channel\n14:05 alice: queue depth 40k\n  still growing\n[14:09] bob: restarting consumers\n14:30 carol: drained"
		r := htmx(c, base, url.Values{"log": {log}, "base_date": {"2026-03-01"}, "kind": {"observation"}}).Expect(t, http.StatusOK)
		doc := r.Doc(t)
		rows := doc.Find(apptest.TestID("paste-row"))
		if rows.Length() != 3 || doc.Find(apptest.TestID("paste-skipped")+" li").Length() != 1 {
			t.Fatalf("preview:\n%.3000s", r.Body)
		}
		if n, _ := models.ListTimeline(context.Background(), db, inc.ID); len(n) != 0 {
			t.Fatal("the preview stored events")
		}
		// Submit the preview as a browser would, changing one kind and
		// leaving the last event out.
		form := url.Values{}
		doc.Find(apptest.TestID("paste-preview-form")).Find("input, select, textarea").Each(func(_ int, s *goquery.Selection) {
			name := s.AttrOr("name", "")
			switch {
			case name == "" || name == "_csrf" || name == "back":
			case goquery.NodeName(s) == "select":
				form.Add(name, s.Find("option[selected]").AttrOr("value", ""))
			case goquery.NodeName(s) == "textarea":
				form.Add(name, s.Text())
			case s.AttrOr("type", "") == "checkbox":
				if _, on := s.Attr("checked"); on {
					form.Add(name, "1")
				}
			default:
				form.Add(name, s.AttrOr("value", ""))
			}
		})
		if form.Get("ev.0.occurred_at") != "2026-03-01T14:05" || form.Get("ev.0.text") != "alice: queue depth 40k\nstill growing" {
			t.Fatalf("preview values %v", form)
		}
		form.Set("ev.1.kind", "action")
		form.Del("ev.2.include")
		htmx(c, base+"/save", form).Expect(t, http.StatusOK)
		events, _ := models.ListTimeline(context.Background(), db, inc.ID)
		if len(events) != 2 || events[1].Kind != "action" || events[0].Source != "paste" {
			t.Fatalf("saved %+v", events)
		}
		if !events[0].OccurredAt.Equal(*utc("2026-03-01T13:05:00Z")) {
			t.Errorf("14:05 Berlin stored as %v", events[0].OccurredAt)
		}
		// One bad row stores nothing and says which.
		form.Set("ev.0.occurred_at", "yesterday")
		form.Set("ev.2.include", "1")
		r = htmx(c, base+"/save", form).Expect(t, http.StatusUnprocessableEntity)
		if !strings.Contains(r.Body, "Enter a date and time.") {
			t.Errorf("no row error:\n%.2000s", r.Body)
		}
		if events, _ := models.ListTimeline(context.Background(), db, inc.ID); len(events) != 2 {
			t.Errorf("%d events after a refused paste", len(events))
		}
	})
}
