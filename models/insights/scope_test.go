package insights_test

import (
	"net/url"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
	"github.com/debrief-sre/debrief/models/insights"
)

// TestScopeOf: the insight filters in the zone tz, or else the default
// zone; list-only parameters are not theirs.
func TestScopeOf(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		resolve := func(query string) *models.ResolvedFilter {
			t.Helper()
			v, err := url.ParseQuery(query)
			if err != nil {
				t.Fatal(err)
			}
			r, err := models.ResolveFilter(ctx, db, models.InsightFilters, v, nil)
			if err != nil {
				t.Fatalf("%s: %v", query, err)
			}
			return r
		}
		sc := insights.ScopeOf(resolve("tz=Europe/Berlin&from=2026-03-01&status=asleep&sort=random"), time.UTC)
		if sc.ZoneName() != "Europe/Berlin" || sc.Filter.From.UTC().Format(time.RFC3339) != "2026-02-28T23:00:00Z" || sc.Filter.Statuses != nil || sc.Filter.Sort != "" {
			t.Errorf("insight scope %+v", sc)
		}
		berlin := mustLoc(t, "Europe/Berlin")
		if insights.ScopeOf(resolve(""), berlin).Location != berlin {
			t.Error("the default zone")
		}
	})
}
