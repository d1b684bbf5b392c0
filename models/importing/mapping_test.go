package importing_test

import (
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
	"github.com/debrief-sre/debrief/models/importing"
)

func TestImportJSONAndMappingErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		actor := models.SystemActor("test")
		owner, err := models.CreateUser(ctx, db, actor, models.NewUser{Email: "ic@example.com", Name: "Ida", Role: models.RoleMember}, false)
		if err != nil {
			t.Fatal(err)
		}
		m, err := importing.ParseMapping([]byte(`
source: old-tracker
json: {records: data.incidents}
time_zone: America/New_York
time_formats: ["%Y-%m-%d %H:%M", "unix"]
fields:
  external_id: {template: "OT-{id}"}
  title: name
  severity: {column: prio, map: {"1": SEV1, "2": SEV2}, default: SEV3}
  status: {column: state, map: {open: investigating, done: resolved}}
  started_at: began
  resolved_at: ended
  commander: owner.email
components:
  columns: [systems]
  create_missing: true
tags:
  columns: [labels]
  values: [imported]
`))
		if err != nil {
			t.Fatal(err)
		}
		doc := `{"data": {"incidents": [
			{"id": 7, "name": "Mail queue stuck", "prio": 1, "state": "done", "began": "2024-07-04 09:00", "ended": 1720101600,
			 "owner": {"email": "IC@example.com"}, "systems": ["Mail relay", "DNS"], "labels": ["queue", "Mail"]},
			{"id": 8, "name": "Slow search", "prio": null, "state": "open", "began": "2024-07-05 10:30", "systems": [], "labels": []}
		]}}`
		rep, err := importing.Run(ctx, db, actor, m, []byte(doc), importing.Options{Filename: "export.json"})
		if err != nil || !rep.OK() || rep.Created != 2 || rep.Format != "json" {
			t.Fatalf("json import %+v %v", rep, err)
		}
		inc, _ := models.GetIncidentByExternal(ctx, db, "old-tracker", "OT-7")
		if inc.Severity == nil || inc.Severity.Name != "SEV1" || inc.Status != models.StatusResolved || inc.CommanderID == nil || *inc.CommanderID != owner.ID {
			t.Errorf("OT-7 %+v", inc)
		}
		if !inc.StartedAt.Equal(time.Date(2024, 7, 4, 13, 0, 0, 0, time.UTC)) || !inc.ResolvedAt.Equal(time.Unix(1720101600, 0)) {
			t.Errorf("OT-7 times %v %v", inc.StartedAt, inc.ResolvedAt)
		}
		if strings.Join(inc.ComponentSlugs(), ",") != "dns,mail-relay" || strings.Join(inc.TagNames(), ",") != "imported,mail,queue" {
			t.Errorf("OT-7 components %v tags %v", inc.ComponentSlugs(), inc.TagNames())
		}
		slow, _ := models.GetIncidentByExternal(ctx, db, "old-tracker", "OT-8")
		if slow.Severity == nil || slow.Severity.Name != "SEV3" || slow.Status != models.StatusInvestigating {
			t.Errorf("OT-8 default severity/status %v %s", slow.Severity, slow.Status)
		}

		for src, want := range map[string]string{
			"source: x\nfields: {title: t, started_at: s}":                                       "fields.external_id is required",
			"fields: {external_id: i, title: t, started_at: s}":                                  "source is required",
			"source: x\nfields: {external_id: i, title: t, started_at: s, colour: c}":            "unknown field",
			"source: x\ntime_formats: ['%Q']\nfields: {external_id: i, title: t, started_at: s}": "%Q is not a known directive",
			"source: x\ntime_zone: Mars\nfields: {external_id: i, title: t, started_at: s}":      "time_zone",
			"source: x\nfields: {external_id: {column: a, value: b}, title: t, started_at: s}":   "exactly one of column, value or template",
		} {
			if _, err := importing.ParseMapping([]byte(src)); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("mapping %q: %v, want %q", src, err, want)
			}
		}
		m, _ = importing.ParseMapping([]byte("source: x\nfields: {external_id: id, title: name, started_at: when}"))
		if _, err := importing.Run(ctx, db, actor, m, []byte("id,title,when\n1,a,2024-01-01\n"), importing.Options{Filename: "a.csv"}); err == nil ||
			!strings.Contains(err.Error(), "columns the file does not have: name") {
			t.Errorf("missing column: %v", err)
		}
		if _, err := importing.Run(ctx, db, actor, m, []byte(`{"a": 1}`), importing.Options{Filename: "a.json"}); err == nil {
			t.Error("a JSON object without records imported")
		}
	})
}

// TestDefaultMappingRoundTrip: Debrief's own CSV export imports with the
// built-in mapping, and importing it again changes nothing.
func TestDefaultMappingRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m, err := importing.ParseMapping([]byte(importing.DefaultMappingYAML))
		if err != nil {
			t.Fatal(err)
		}
		csvText := "key,title,severity,status,started_at,resolved_at,components,tags,impact,summary\n" +
			"INC-9,'=SUM(A1) shows in title,SEV2,resolved,2026-01-02T03:04:05Z,2026-01-02T05:00:00Z,checkout; payments,\"db; deploy\",Customers saw errors.,\"Line one\nLine two\"\n"
		for round := 0; round < 2; round++ {
			rep, err := importing.Run(ctx, db, models.SystemActor("test"), m, []byte(csvText), importing.Options{Filename: "incidents.csv"})
			if err != nil || !rep.OK() {
				t.Fatalf("round %d: %+v %v", round, rep, err)
			}
			if round == 1 && rep.Unchanged != 1 {
				t.Fatalf("round 2: %+v", rep)
			}
		}
		inc, _ := models.GetIncidentByExternal(ctx, db, "debrief-export", "INC-9")
		if inc.Title != "=SUM(A1) shows in title" || inc.Summary != "Line one\nLine two" || len(inc.Components) != 2 {
			t.Errorf("%+v", inc)
		}
	})
}
