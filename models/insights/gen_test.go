package insights_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/debrief-sre/debrief/models"
)

// genData is a generated incident history and what the tests need to
// compute the insights independently in Go.
type genData struct {
	Incidents  []*models.Incident
	Components map[int64][]int64 // incident → components
	Tags       map[int64][]string
	CompTeam   map[int64]*int64 // component → team
	Comps      []*models.Component
	Teams      []*models.Team
	Severities []models.Severity
}

// dstInstants are moments around DST changes (and a few odd zones), where
// a fixed-offset conversion puts incidents into the wrong hour or day.
var dstInstants = []string{
	"2024-03-31T00:59:59.5Z", "2024-03-31T01:00:00Z", "2024-03-31T01:30:00Z", // Europe: CET → CEST
	"2024-10-27T00:59:59Z", "2024-10-27T01:00:00Z", "2024-10-27T01:59:59Z", // Europe: CEST → CET
	"2024-03-10T06:59:59Z", "2024-03-10T07:00:00Z", // New York: EST → EDT
	"2024-11-03T05:59:59Z", "2024-11-03T06:00:00Z", "2024-11-03T06:30:00Z", // New York: EDT → EST
	"2024-04-06T14:59:59Z", "2024-04-06T15:00:00Z", // Lord Howe: +11 → +10:30
	"2024-10-05T15:29:59Z", "2024-10-05T15:30:00Z", // Lord Howe: +10:30 → +11
	"2025-03-30T00:59:59Z", "2025-03-30T01:00:00Z",
	"2023-12-31T23:30:00Z", "2024-02-29T12:00:00Z", "2024-02-28T23:30:00Z", // a new year, a 29 February
}

// genIncidents stores n random incidents (plus the DST instants) over
// three years, with random gaps in their timestamps, and returns them.
func genIncidents(t testing.TB, db *gorm.DB, n int, seed uint64) *genData {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 99))
	g := &genData{Components: map[int64][]int64{}, Tags: map[int64][]string{}, CompTeam: map[int64]*int64{}}
	var err error
	if g.Severities, err = models.ListSeverities(ctx, db); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Payments", "Storage", "Edge"} {
		tm, err := models.CreateTeam(ctx, db, models.SystemActor("test"), models.NewTeam{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		g.Teams = append(g.Teams, tm)
	}
	for i, name := range []string{"Checkout API", "Postgres fleet", "CDN", "Build pipeline", "DNS", "Queue"} {
		c, err := models.CreateComponent(ctx, db, models.SystemActor("test"), models.ComponentInput{Name: name, Tier: 1 + i%3})
		if err != nil {
			t.Fatal(err)
		}
		if i < 3 {
			id := g.Teams[i].ID
			if err := db.Model(&models.Component{}).Where("id = ?", c.ID).Update("team_id", id).Error; err != nil {
				t.Fatal(err)
			}
			g.CompTeam[c.ID] = &id
		}
		g.Comps = append(g.Comps, c)
	}
	tags := []string{"network", "database", "deploy", "capacity", "human factors"}
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	var starts []time.Time
	for _, s := range dstInstants {
		tt, _ := time.Parse(time.RFC3339Nano, s)
		starts = append(starts, tt)
	}
	for len(starts) < n {
		st := start.Add(time.Duration(r.Int64N(int64(3 * 365 * 24 * time.Hour))))
		starts = append(starts, st.Truncate(time.Microsecond))
	}
	var links []models.IncidentComponent
	var tagRows []models.IncidentTag
	for i, st := range starts {
		// Durations are whole seconds from a start with a fraction, so
		// SQLite's millisecond arithmetic is exact for them.
		after := func(p float64, maxSec int64, from time.Time) *time.Time {
			if r.Float64() > p {
				return nil
			}
			// Log-spread: seconds to days.
			d := time.Duration(int64(float64(maxSec)*r.Float64()*r.Float64()*r.Float64())) * time.Second
			v := from.Add(d)
			return &v
		}
		inc := &models.Incident{
			Number: int64(i + 1), Title: fmt.Sprintf("Generated incident %d", i+1), Status: models.StatusResolved,
			StartedAt: st, Links: []models.Link{}, Version: 1, CreatedAt: st, UpdatedAt: st,
		}
		inc.DetectedAt = after(0.9, 3600, st)
		inc.AcknowledgedAt = after(0.8, 7200, st)
		inc.MitigatedAt = after(0.7, 86400, st)
		base := st
		if inc.MitigatedAt != nil {
			base = *inc.MitigatedAt
		}
		inc.ResolvedAt = after(0.85, 5*86400, base)
		if k := r.IntN(len(g.Severities) + 1); k < len(g.Severities) {
			id := g.Severities[k].ID
			inc.SeverityID = &id
		}
		if k := r.IntN(len(g.Teams) + 2); k < len(g.Teams) {
			id := g.Teams[k].ID
			inc.TeamID = &id
		}
		g.Incidents = append(g.Incidents, inc)
	}
	if err := db.Omit(clause.Associations).CreateInBatches(g.Incidents, 200).Error; err != nil {
		t.Fatal(err)
	}
	for _, inc := range g.Incidents {
		for k := r.IntN(3); k > 0; k-- {
			c := g.Comps[r.IntN(len(g.Comps))].ID
			if !slices.Contains(g.Components[inc.ID], c) {
				g.Components[inc.ID] = append(g.Components[inc.ID], c)
				links = append(links, models.IncidentComponent{IncidentID: inc.ID, ComponentID: c})
			}
		}
		for k := r.IntN(3); k > 0; k-- {
			tg := tags[r.IntN(len(tags))]
			if !slices.Contains(g.Tags[inc.ID], tg) {
				g.Tags[inc.ID] = append(g.Tags[inc.ID], tg)
				tagRows = append(tagRows, models.IncidentTag{IncidentID: inc.ID, Tag: tg})
			}
		}
	}
	if len(links) > 0 {
		if err := db.CreateInBatches(links, 500).Error; err != nil {
			t.Fatal(err)
		}
	}
	if len(tagRows) > 0 {
		if err := db.CreateInBatches(tagRows, 500).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Exec("UPDATE incident_sequence SET last_number = ?", len(g.Incidents)).Error; err != nil {
		t.Fatal(err)
	}
	return g
}

// match applies an incident filter in Go, independently of the SQL.
func (g *genData) match(inc *models.Incident, f models.IncidentFilter) bool {
	if len(f.SeverityIDs) > 0 && (inc.SeverityID == nil || !slices.Contains(f.SeverityIDs, *inc.SeverityID)) {
		return false
	}
	if len(f.ComponentIDs) > 0 {
		hit := false
		for _, c := range g.Components[inc.ID] {
			hit = hit || slices.Contains(f.ComponentIDs, c)
		}
		if !hit {
			return false
		}
	}
	if len(f.TeamIDs) > 0 {
		hit := inc.TeamID != nil && slices.Contains(f.TeamIDs, *inc.TeamID)
		for _, c := range g.Components[inc.ID] {
			if tm := g.CompTeam[c]; tm != nil && slices.Contains(f.TeamIDs, *tm) {
				hit = true
			}
		}
		if !hit {
			return false
		}
	}
	for _, tg := range f.Tags {
		if !slices.Contains(g.Tags[inc.ID], tg) {
			return false
		}
	}
	if f.From != nil && inc.StartedAt.Before(*f.From) {
		return false
	}
	if f.To != nil && !inc.StartedAt.Before(*f.To) {
		return false
	}
	return true
}

// scoped returns the incidents the filter matches.
func (g *genData) scoped(f models.IncidentFilter) []*models.Incident {
	var out []*models.Incident
	for _, inc := range g.Incidents {
		if g.match(inc, f) {
			out = append(out, inc)
		}
	}
	return out
}
