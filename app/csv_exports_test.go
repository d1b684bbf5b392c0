package app_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestEveryCSVDefusesFormulas: a component, team, incident and action
// item named like spreadsheet formulas come out of every CSV download
// defused (a leading apostrophe), while numbers stay numbers.
func TestEveryCSVDefusesFormulas(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		c, admin := env.As(models.RoleAdmin)
		ctx, sys := context.Background(), models.SystemActor("test")
		comp := must(models.CreateComponent(ctx, db, sys, models.ComponentInput{Name: "=HYPERLINK(\"http://evil.example\")", Tier: 1}))
		now := time.Now().UTC().Add(-48 * time.Hour)
		for i := range 3 {
			start := now.Add(time.Duration(i) * time.Hour)
			end := start.Add(30 * time.Minute)
			must(models.CreateIncident(ctx, db, sys, models.IncidentInput{Title: "@SUM(1+1) incident " + strconv.Itoa(i), StartedAt: &start,
				ResolvedAt: &end, Status: models.StatusResolved, ComponentIDs: []int64{comp.ID}, Tags: []string{"+tag"}}))
		}
		must(models.CreateActionItem(ctx, db, models.ActorOf(admin, ""), models.NewActionItem{ActionItemInput: models.ActionItemInput{Title: "-2+3 cells", Priority: "low"}, ComponentSlug: comp.Slug}))

		paths := []string{"/incidents/export.csv", "/action-items/export"}
		for _, r := range env.App.Routes() {
			if strings.HasPrefix(r.Path, "/insights/") && strings.HasSuffix(r.Path, ".csv") {
				paths = append(paths, r.Path+"?period=all")
			}
		}
		for _, p := range paths {
			res := c.Get(p).Expect(t, http.StatusOK)
			rows, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			defused := false
			for _, row := range rows {
				for _, cell := range row {
					defused = defused || strings.HasPrefix(cell, "'=") || strings.HasPrefix(cell, "'@") || strings.HasPrefix(cell, "'-")
					if cell != "" && strings.ContainsRune("=+@\t\r", rune(cell[0])) {
						t.Errorf("%s: cell %q can run as a formula", p, cell)
					}
					if strings.HasPrefix(cell, "-") {
						if _, err := strconv.ParseFloat(cell, 64); err != nil {
							t.Errorf("%s: cell %q can run as a formula", p, cell)
						}
					}
				}
			}
			if !defused && (strings.Contains(p, "export") || strings.Contains(p, "components")) {
				t.Errorf("%s: no defused cell; the test data did not reach it:\n%s", p, res.Body)
			}
		}
	})
}
