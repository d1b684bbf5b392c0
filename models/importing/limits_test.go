package importing_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
	"github.com/debrief-sre/debrief/models/importing"
)

func defaultMapping(t testing.TB) *importing.Mapping {
	t.Helper()
	m, err := importing.ParseMapping([]byte(importing.DefaultMappingYAML))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestImportRefusesOverLongCells: a cell over MaxCellBytes rejects its row,
// naming the line and the column, and the stored report does not carry it.
func TestImportRefusesOverLongCells(t *testing.T) {
	db := dbtest.New(t, models.DialectSQLite)
	long := strings.Repeat("x", importing.MaxCellBytes+1)
	data := "key,title,status,started_at\nA-1,fine,resolved,2024-01-01\nA-2," + long + ",resolved,2024-01-02\n"
	rep, err := importing.Run(ctx, db, models.SystemActor("test"), defaultMapping(t), []byte(data), importing.Options{Filename: "x.csv", DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rejected != 1 || len(rep.Errors) != 1 {
		t.Fatalf("want one rejected row, got %+v", rep)
	}
	e := rep.Errors[0]
	if e.Line != 3 || e.Field != "title" || !strings.Contains(e.Message, "64 KiB") || !strings.Contains(e.Message, `column "title"`) {
		t.Errorf("error does not name line 3, column title and the cap: %+v", e)
	}
	enc, err := rep.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(enc, strings.Repeat("x", 1000)) {
		t.Error("the stored report holds the over-long cell")
	}
	// the same in JSON
	js := `[{"key":"A-1","title":"` + long + `"}]`
	jm, err := importing.ParseMapping([]byte(strings.Replace(importing.DefaultMappingYAML, "format: csv", "format: json", 1)))
	if err != nil {
		t.Fatal(err)
	}
	rep, err = importing.Run(ctx, db, models.SystemActor("test"), jm, []byte(js), importing.Options{Filename: "x.json", DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rejected != 1 || rep.Errors[0].Field != "title" || rep.Errors[0].Line != 1 {
		t.Fatalf("JSON: want record 1 rejected for its title, got %+v", rep.Errors)
	}
}

// TestImportReportIsBounded: a file of many bad rows with long values
// makes a report of at most MaxReportErrors problems and MaxReportBytes.
func TestImportReportIsBounded(t *testing.T) {
	db := dbtest.New(t, models.DialectSQLite)
	var b strings.Builder
	b.WriteString("key,title,severity,started_at\n")
	sev := strings.Repeat("s", 8000) // an unknown severity, quoted in the message
	for i := range 1200 {
		fmt.Fprintf(&b, "K-%d,%s,%s,2024-01-01\n", i, strings.Repeat("t", 1000), sev)
	}
	rep, err := importing.Run(ctx, db, models.SystemActor("test"), defaultMapping(t), []byte(b.String()), importing.Options{Filename: "x.csv", DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rejected != 1200 || len(rep.Errors) > importing.MaxReportErrors || rep.ErrorsOmitted == 0 {
		t.Fatalf("rejected %d, kept %d problems, omitted %d", rep.Rejected, len(rep.Errors), rep.ErrorsOmitted)
	}
	enc, err := rep.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if len(enc) > importing.MaxReportBytes {
		t.Fatalf("stored report is %d bytes, over %d", len(enc), importing.MaxReportBytes)
	}
	j, err := importing.SavePreview(ctx, db, models.SystemActor("test"), "x.csv", importing.DefaultMappingYAML, []byte(b.String()), rep)
	if err != nil {
		t.Fatal(err)
	}
	if len(j.Report) > importing.MaxReportBytes {
		t.Fatalf("saved report is %d bytes", len(j.Report))
	}
	if _, err := importing.SavePreview(ctx, db, models.SystemActor("test"), "x.csv", "", make([]byte, importing.MaxFileBytes+1), rep); !errors.Is(err, importing.ErrTooLarge) {
		t.Errorf("a file over MaxFileBytes was stored: %v", err)
	}
}

// TestUnconfirmedPreviewsExpire: a preview not confirmed within PreviewTTL
// cannot be confirmed and is deleted by the sweep.
func TestUnconfirmedPreviewsExpire(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
		db = models.WithClock(db, func() time.Time { return now })
		data := []byte("key,title,status,started_at\nA-1,one,resolved,2024-01-01\n")
		rep, err := importing.Run(ctx, db, models.SystemActor("test"), defaultMapping(t), data, importing.Options{Filename: "x.csv", DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		old, err := importing.SavePreview(ctx, db, models.SystemActor("test"), "x.csv", importing.DefaultMappingYAML, data, rep)
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(importing.PreviewTTL + time.Minute)
		if err := importing.Start(ctx, db, old.ID); !errors.Is(err, importing.ErrExpired) {
			t.Fatalf("an expired preview started: %v", err)
		}
		fresh, err := importing.SavePreview(ctx, db, models.SystemActor("test"), "y.csv", importing.DefaultMappingYAML, data, rep)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := importing.GetJob(ctx, db, old.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("the expired preview survived a new preview: %v", err)
		}
		now = now.Add(importing.PreviewTTL + time.Minute)
		n, err := importing.SweepImports(ctx, db)
		if err != nil || n != 1 {
			t.Fatalf("sweep deleted %d (%v), want 1", n, err)
		}
		if _, err := importing.GetJob(ctx, db, fresh.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("the sweep left an expired preview: %v", err)
		}
	})
}
