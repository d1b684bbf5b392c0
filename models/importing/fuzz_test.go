package importing_test

import (
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
	"github.com/debrief-sre/debrief/models/importing"
)

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
