package app_test

import (
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

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
