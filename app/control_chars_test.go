package app_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode"

	goical "github.com/emersion/go-ical"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// hostileTitle tries to end the calendar line and start a new event, and
// carries other C0 controls (escape, NUL, bell) besides.
const hostileTitle = "Rotate keys\rEND:VEVENT\r\nBEGIN:VEVENT\nSUMMARY:Injected\x1b[2J\x00\x07 now"

// TestControlCharactersCannotBreakFeedOrCSV creates an action item with
// control characters in its title and description through the API, then
// reads it back as an iCalendar feed and as CSV.
func TestControlCharactersCannotBreakFeedOrCSV(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		c, me := env.As(models.RoleMember)
		api := env.Bearer(env.APIToken(me))
		body, _ := json.Marshal(map[string]string{
			"title": hostileTitle, "owner": me.Email, "due_date": day(3),
			"description": "First line\r\nSecond\rEND:VCALENDAR\x1b[0m",
		})
		api.JSON(http.MethodPost, "/api/v1/action-items", string(body)).Expect(t, http.StatusCreated)

		wantTitle := "Rotate keys END:VEVENT BEGIN:VEVENT SUMMARY:Injected[2J now"
		c.Form("/account/calendar", url.Values{"next": {"/account/notifications"}}).Expect(t, http.StatusSeeOther)
		feed, _ := url.Parse(c.Get("/account/notifications").Doc(t).Find(apptest.TestID("calendar-url")).AttrOr("value", ""))
		ics := env.Client().Get(feed.Path).Expect(t, http.StatusOK).Body
		checkOnlyCRLF(t, "feed", ics)
		cal, err := goical.NewDecoder(strings.NewReader(ics)).Decode()
		if err != nil {
			t.Fatalf("feed does not parse: %v\n%s", err, ics)
		}
		events := cal.Events()
		if len(events) != 1 {
			t.Fatalf("%d events, want 1\n%s", len(events), ics)
		}
		if s, _ := events[0].Props.Text(goical.PropSummary); s != "Due: "+wantTitle {
			t.Errorf("summary %q, want %q", s, "Due: "+wantTitle)
		}

		csvBody := c.Get("/action-items/export").Expect(t, http.StatusOK).Body
		checkOnlyCRLF(t, "csv", strings.ReplaceAll(csvBody, "\n", "\r\n"))
		recs, err := csv.NewReader(strings.NewReader(csvBody)).ReadAll()
		if err != nil || len(recs) != 2 {
			t.Fatalf("csv: %d records, %v\n%s", len(recs), err, csvBody)
		}
		if recs[1][1] != wantTitle {
			t.Errorf("csv title %q, want %q", recs[1][1], wantTitle)
		}
	})
}

// TestTitlesAndNamesAreCleanedAtTheModel: every create of a title or a
// name drops control characters, whichever feature it belongs to.
func TestTitlesAndNamesAreCleanedAtTheModel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := t.Context()
		dirty := "Name\rwith\x1bcontrols\x00"
		team, err := models.CreateTeam(ctx, db, testActor, models.NewTeam{Name: dirty, Slug: "ctl"})
		if err != nil {
			t.Fatal(err)
		}
		u, err := models.CreateUser(ctx, db, testActor, models.NewUser{Email: "ctl@example.com", Name: dirty, Role: models.RoleMember, Password: apptest.Password}, true)
		if err != nil {
			t.Fatal(err)
		}
		a, err := models.CreateActionItem(ctx, db, testActor, models.NewActionItem{ActionItemInput: models.ActionItemInput{Title: dirty, Description: "a\r\nb\x00"}})
		if err != nil {
			t.Fatal(err)
		}
		for what, got := range map[string]string{"team": team.Name, "user": u.Name, "action item": a.Title, "description": a.Description} {
			if strings.IndexFunc(got, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }) >= 0 {
				t.Errorf("%s stored with control characters: %q", what, got)
			}
		}
		if a.Description != "a\nb" {
			t.Errorf("description %q", a.Description)
		}
	})
}

// checkOnlyCRLF fails on any control character except CRLF line ends.
func checkOnlyCRLF(t *testing.T, what, s string) {
	t.Helper()
	for i, r := range s {
		if !unicode.IsControl(r) {
			continue
		}
		if r == '\r' && strings.HasPrefix(s[i:], "\r\n") || r == '\n' && i > 0 && s[i-1] == '\r' {
			continue
		}
		t.Fatalf("%s has control character %U at %d: %q", what, r, i, s[max(0, i-40):min(len(s), i+40)])
	}
}
