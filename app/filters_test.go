package app_test

import (
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

// chipsOf reads the active filter chips of a page: label → remove link.
func chipsOf(doc *goquery.Document) map[string]string {
	out := map[string]string{}
	doc.Find(apptest.TestID("filter-chips") + " a.chip").Each(func(_ int, a *goquery.Selection) {
		label := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(a.Contents().First().Text()), "✕"))
		out[label] = a.AttrOr("href", "")
	})
	return out
}

// TestFilterChipsOnEveryPage: the action list, the dashboard and the
// insight pages show their active filters as chips whose links drop just
// that filter.
func TestFilterChipsOnEveryPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		f := seedFollowThrough(t, env)
		c, _ := env.As(models.RoleViewer)

		chips := chipsOf(c.Get("/action-items?due=overdue&owner=me&team=storage").Expect(t, http.StatusOK).Doc(t))
		want := map[string]string{
			"Overdue":       "/action-items?owner=me&team=storage",
			"Owner: me":     "/action-items?due=overdue&team=storage",
			"Team: Storage": "/action-items?due=overdue&owner=me",
		}
		for label, href := range want {
			if chips[label] != href {
				t.Errorf("action list chip %q: %q, want %q (chips %v)", label, chips[label], href, chips)
			}
		}

		doc := c.Get("/action-items/dashboard?team=storage&owner="+url.QueryEscape(f.ana.Email)+"&days=365").Expect(t, http.StatusOK).Doc(t)
		chips = chipsOf(doc)
		if len(chips) != 2 || chips["Team: Storage"] != "/action-items/dashboard?days=365&owner="+url.QueryEscape(f.ana.Email) ||
			chips["Owner: Ana Owner"] != "/action-items/dashboard?days=365&team=storage" {
			t.Errorf("dashboard chips %v", chips)
		}
		if s := doc.Find(apptest.TestID("scope-label")).Text(); s != "Ana Owner in Storage" {
			t.Errorf("scope label %q", s)
		}

		doc = c.Get("/insights/weekdays?team=storage&severity="+url.QueryEscape(f.sev1.Name)+"&tz=Europe%2FBerlin").Expect(t, http.StatusOK).Doc(t)
		chips = chipsOf(doc)
		if len(chips) != 2 || chips["team Storage"] != "/insights/weekdays?severity="+url.QueryEscape(f.sev1.Name)+"&tz=Europe%2FBerlin" {
			t.Errorf("insight chips %v", chips)
		}
		if s := doc.Find(apptest.TestID("filter-summary")).Text(); s != "team Storage · severity "+f.sev1.Name {
			t.Errorf("insight summary %q", s)
		}
	})
}

// TestFilterErrorsNameTheParameter: bad list parameters answer the API
// with a problem naming each, with the messages the pages show.
func TestFilterErrorsNameTheParameter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		_, user := env.As(models.RoleMember)
		api := env.Bearer(env.APIToken(user))
		for path, want := range map[string]map[string]string{
			"/api/v1/action-items?team=nope&due=whenever&review_id=x&status=gone": {
				"team": "No team has the slug nope.", "due": "Choose overdue, today, 7d, 30d or none.",
				"review": "review must be a number.", "status": `Unknown status "gone".`,
			},
			"/api/v1/insights/follow-through?owner=nobody@example.com&from=2026-13-01": {
				"owner": "No user has the email nobody@example.com.", "from": "Enter the date as YYYY-MM-DD.",
			},
			"/api/v1/incidents?from=nope&status=asleep": {
				"from": "Enter a date like 2026-03-01.", "status": "Status is one of open, investigating, identified, monitoring, resolved, closed.",
			},
			"/api/v1/insights/weekdays?tz=Mars%2FOlympus&to=later": {
				"tz": "Choose a time zone by its IANA name, like Europe/Berlin or America/New_York.", "to": "Enter a date like 2026-03-01.",
			},
		} {
			r := api.JSON(http.MethodGet, path, "").Expect(t, http.StatusUnprocessableEntity)
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
				t.Errorf("%s: %s", path, ct)
			}
			got := decode[struct {
				Errors map[string]string `json:"errors"`
			}](t, r).Errors
			if len(got) != len(want) {
				t.Errorf("%s: errors %v", path, got)
			}
			for k, msg := range want {
				if got[k] != msg {
					t.Errorf("%s: %s = %q, want %q", path, k, got[k], msg)
				}
			}
		}
		// An unknown incident filter matches nothing; it is no error.
		api.JSON(http.MethodGet, "/api/v1/incidents?team=nope&severity=nope", "").Expect(t, http.StatusOK)
	})
}
