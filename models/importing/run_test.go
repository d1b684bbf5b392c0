package importing_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
	"github.com/debrief-sre/debrief/models/importing"
)

var ctx = context.Background()

// cloudCSV is the public cloud post-mortems (models/testdata, shared with
// the insight tests).
func cloudCSV(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile("../testdata/cloud_incidents.csv")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// cloudMapping is the mapping docs/ ships for cloudCSV.
func cloudMapping(t testing.TB) *importing.Mapping {
	t.Helper()
	src, err := os.ReadFile("../../docs/mappings/cloud_incidents.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := importing.ParseMapping(src)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func countIncidents(t *testing.T, db *gorm.DB) int64 {
	t.Helper()
	n, err := models.CountIncidents(ctx, db, models.IncidentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportSharedCloudCSV imports the 356 shared post-mortems with the
// mapping shipped in docs/, then imports them again: nothing changes.
func TestImportSharedCloudCSV(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := cloudMapping(t)
		actor := models.SystemActor("test")
		var calls, last int
		rep, err := importing.Run(ctx, db, actor, m, cloudCSV(t), importing.Options{
			Filename: "cloud_incidents.csv", Progress: func(done, total int) { calls++; last = done },
		})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() || rep.Total != 356 || rep.Created != 356 || rep.Updated != 0 {
			t.Fatalf("report %+v %v", rep, rep.Errors)
		}
		if n := countIncidents(t, db); n != 356 {
			t.Fatalf("%d incidents stored, want 356", n)
		}
		if calls == 0 || last != 356 {
			t.Errorf("progress: %d calls, last %d", calls, last)
		}
		if strings.Join(rep.ComponentsCreated, ",") != "aws,azure,google-cloud" {
			t.Errorf("components created %v", rep.ComponentsCreated)
		}
		// One row, checked field by field.
		aws2, err := models.GetIncidentByExternal(ctx, db, "cloud-postmortems", "aws-2")
		if err != nil {
			t.Fatal(err)
		}
		if !aws2.StartedAt.Equal(time.Date(2011, 4, 29, 0, 0, 0, 0, time.UTC)) || aws2.ResolvedAt == nil ||
			aws2.ResolvedAt.Sub(aws2.StartedAt) != 1768*time.Minute || aws2.Status != models.StatusResolved {
			t.Errorf("aws-2 times %v %v %s", aws2.StartedAt, aws2.ResolvedAt, aws2.Status)
		}
		if aws2.Severity != nil || len(aws2.Components) != 1 || aws2.Components[0].Name != "AWS" {
			t.Errorf("aws-2 severity %v components %v", aws2.Severity, aws2.Components)
		}
		if tags := strings.Join(aws2.TagNames(), ","); tags != "availability,external causes,insufficient resource,internal causes,performance,software bugs" {
			t.Errorf("aws-2 tags %s", tags)
		}
		if !strings.Contains(aws2.Impact, "EBS control plane") || !strings.Contains(aws2.Summary, "**Mitigation:** disable all control APIs") {
			t.Errorf("aws-2 impact %q summary %q", aws2.Impact, aws2.Summary)
		}
		if len(aws2.Links) != 1 || aws2.Links[0].URL != "https://aws.amazon.com/cn/message/65648/" {
			t.Errorf("aws-2 links %v", aws2.Links)
		}
		// Both reports that share an ID are kept.
		for _, id := range []string{"azure-20180904-1", "azure-20180904-1#2"} {
			if _, err := models.GetIncidentByExternal(ctx, db, "cloud-postmortems", id); err != nil {
				t.Errorf("%s: %v", id, err)
			}
		}
		// Rows without a duration have no resolved time: undefined, not zero.
		var unresolved int64
		db.Model(&models.Incident{}).Where("resolved_at IS NULL").Count(&unresolved)
		if unresolved != 2 {
			t.Errorf("%d incidents without resolved time, want 2", unresolved)
		}
		perProvider := map[string]int64{}
		for _, slug := range []string{"aws", "azure", "google-cloud"} {
			c, err := models.GetComponentBySlug(ctx, db, slug)
			if err != nil {
				t.Fatal(err)
			}
			perProvider[slug], _ = models.CountIncidents(ctx, db, models.IncidentFilter{ComponentIDs: []int64{c.ID}})
		}
		if perProvider["aws"] != 14 || perProvider["azure"] != 243 || perProvider["google-cloud"] != 99 {
			t.Errorf("per provider %v", perProvider)
		}
		n, _ := models.CountIncidents(ctx, db, models.IncidentFilter{Tags: []string{"human factors"}})
		if n != 27 {
			t.Errorf("%d incidents tagged human factors, want 27", n)
		}

		// The second import changes nothing.
		var before []models.Incident
		db.Order("id").Find(&before)
		audits, _ := models.ListAudit(ctx, db, models.AuditFilter{Limit: 500})
		rep, err = importing.Run(ctx, db, actor, m, cloudCSV(t), importing.Options{Filename: "cloud_incidents.csv"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != 356 || rep.Rejected != 0 || len(rep.ComponentsCreated) != 0 {
			t.Fatalf("second import %+v", rep)
		}
		var after []models.Incident
		db.Order("id").Find(&after)
		if len(after) != len(before) {
			t.Fatalf("%d incidents after the second import", len(after))
		}
		for i := range after {
			if after[i].Version != before[i].Version || !after[i].UpdatedAt.Equal(before[i].UpdatedAt) {
				t.Fatalf("%s changed: version %d → %d", after[i].Key(), before[i].Version, after[i].Version)
			}
		}
		if again, _ := models.ListAudit(ctx, db, models.AuditFilter{Limit: 500}); len(again) != len(audits) {
			t.Errorf("the second import wrote %d audit entries", len(again)-len(audits))
		}

		// A corrected row updates its incident, nothing else.
		edited := bytes.Replace(cloudCSV(t), []byte("Summary of the AWS Service Event in the Sydney Region"), []byte("AWS Sydney power event"), 1)
		rep, err = importing.Run(ctx, db, actor, m, edited, importing.Options{Filename: "cloud_incidents.csv"})
		if err != nil || rep.Updated != 1 || rep.Unchanged != 355 {
			t.Fatalf("edited import %+v %v", rep, err)
		}
		aws1, _ := models.GetIncidentByExternal(ctx, db, "cloud-postmortems", "aws-1")
		if aws1.Title != "AWS Sydney power event" || aws1.Version != 2 {
			t.Errorf("aws-1 after update: %q v%d", aws1.Title, aws1.Version)
		}
	})
}

// TestImportWithOneBadRowImportsNothing: all or nothing, and the report
// names the row.
func TestImportWithOneBadRowImportsNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		bad := bytes.Replace(cloudCSV(t), []byte("aws-3,AWS,2012-06-29,"), []byte("aws-3,AWS,29/06/2012,"), 1)
		rep, err := importing.Run(ctx, db, models.SystemActor("test"), cloudMapping(t), bad, importing.Options{Filename: "x.csv"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.OK() || rep.Rejected != 1 || len(rep.Errors) != 1 {
			t.Fatalf("report %+v", rep)
		}
		e := rep.Errors[0]
		if e.Line != 4 || e.ExternalID != "aws-3" || e.Field != "started_at" || !strings.Contains(e.Message, "29/06/2012") {
			t.Errorf("error %+v", e)
		}
		if n := countIncidents(t, db); n != 0 {
			t.Fatalf("%d incidents stored from a rejected file", n)
		}
		var comps int64
		db.Model(&models.Component{}).Count(&comps)
		if comps != 0 {
			t.Errorf("%d components created by a rejected import", comps)
		}
	})
}

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

// fuzzDB is one database for a fuzz target: imports run dry against it.
func fuzzDB(f *testing.F) *gorm.DB { return dbtest.New(f, models.DialectSQLite) }

func checkReport(t *testing.T, rep *importing.Report, err error) {
	if err != nil {
		if err.Error() == "" {
			t.Fatal("empty error")
		}
		return
	}
	if rep.Created+rep.Updated+rep.Unchanged+rep.Rejected != rep.Total {
		t.Fatalf("counts do not add up: %+v", rep)
	}
	if rep.Rejected > 0 && len(rep.Errors) < rep.Rejected {
		t.Fatalf("%d rejected rows but %d errors", rep.Rejected, len(rep.Errors))
	}
	for _, e := range rep.Errors {
		if e.Message == "" || e.Line < 1 {
			t.Fatalf("error %+v", e)
		}
	}
}

func FuzzImportCSV(f *testing.F) {
	db := fuzzDB(f)
	m, err := importing.ParseMapping([]byte(importing.DefaultMappingYAML))
	if err != nil {
		f.Fatal(err)
	}
	cloud := cloudMapping(f)
	data := cloudCSV(f)
	f.Add([]byte(string(data[:3000])), true)
	f.Add([]byte("key,title,severity,status,started_at,detected_at,acknowledged_at,mitigated_at,resolved_at,impact,summary,components,tags\nINC-1,a,SEV1,resolved,2026-01-01T00:00:00Z,,,,2025-01-01,,,x;y,\"a;b\"\n"), false)
	f.Add([]byte("key,title\n\"unterminated,x\n"), false)
	f.Add([]byte("\xef\xbb\xbfkey;title\n1;2\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, cloudFormat bool) {
		mapping := m
		if cloudFormat {
			mapping = cloud
		}
		rep, err := importing.Run(ctx, db, models.SystemActor("fuzz"), mapping, data, importing.Options{Filename: "f.csv", DryRun: true})
		checkReport(t, rep, err)
	})
}

func FuzzImportJSON(f *testing.F) {
	db := fuzzDB(f)
	m, err := importing.ParseMapping([]byte(`
source: fuzz
json: {records: items}
time_formats: [rfc3339, unix, unix_ms, "%d/%m/%Y %I:%M %p"]
fields:
  external_id: {template: "{id}-{sub.id}"}
  title: title
  severity: {column: sev, map: {"1": SEV1}}
  status: status
  started_at: start
  resolved_at: end
components: {columns: [systems], create_missing: true}
tags: {columns: [tags]}
duration: {column: minutes}
`))
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(`{"items": [{"id": 1, "title": "x", "start": "2026-01-01T00:00:00Z", "minutes": 5, "tags": ["a", "b"], "systems": ["db"]}]}`))
	f.Add([]byte(`{"items": [{"id": 1, "title": "x", "start": 1767225600, "end": 1767225000}, {"id": 1}, 7, null]}`))
	f.Add([]byte(`{"items": {"id": 1}}`))
	f.Add([]byte(`[1, 2`))
	f.Add([]byte(`{"items": [{"id": "a", "sub": {"id": 2}, "title": "t", "start": "01/02/2026 01:05 PM", "minutes": -1, "sev": 1, "status": "gone"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := importing.Run(ctx, db, models.SystemActor("fuzz"), m, data, importing.Options{Filename: "f.json", DryRun: true})
		checkReport(t, rep, err)
	})
}
