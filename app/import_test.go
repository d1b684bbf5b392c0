package app_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app"
	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// upload posts the import form as a browser would (multipart, CSRF).
func upload(t *testing.T, c *apptest.Client, filename string, data []byte, mapping string) *apptest.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("_csrf", c.CSRFToken())
	w.WriteField("mapping", mapping)
	fw, _ := w.CreateFormFile("file", filename)
	fw.Write(data)
	w.Close()
	return c.Do(http.MethodPost, "/incidents/import", &body, http.Header{"Content-Type": {w.FormDataContentType()}})
}

func TestImportThroughTheUI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		c, _ := env.As(models.RoleMember)
		csvData := readFile(t, "../models/testdata/cloud_incidents.csv")
		mapping := string(readFile(t, "../docs/mappings/cloud_incidents.yaml"))

		doc := c.Get("/incidents/import").Expect(t, http.StatusOK).Doc(t)
		if !strings.Contains(doc.Find("#f-mapping").Text(), "source: debrief-export") {
			t.Error("the default mapping is not prefilled")
		}
		// A broken mapping is a field error, with the text kept.
		doc = upload(t, c, "cloud.csv", csvData, "source: x\nfields: {}").Expect(t, http.StatusUnprocessableEntity).Doc(t)
		if !strings.Contains(doc.Find(apptest.TestID("error-mapping")).Text(), "fields.external_id is required") || doc.Find("#f-mapping").Text() != "source: x\nfields: {}" {
			t.Fatalf("mapping error:\n%s", doc.Find("form").Text())
		}

		// One bad row: the preview lists it and offers no confirmation.
		bad := bytes.Replace(csvData, []byte("aws-3,AWS,2012-06-29,"), []byte("aws-3,AWS,2012-06-31,"), 1)
		r := upload(t, c, "cloud.csv", bad, mapping).Expect(t, http.StatusSeeOther)
		doc = c.Get(r.Header.Get("Location")).Expect(t, http.StatusOK).Doc(t)
		if doc.Find(apptest.TestID("import-blocked")).Length() != 1 || doc.Find(apptest.TestID("import-confirm")).Length() != 0 {
			t.Fatal("a file with a bad row can be confirmed")
		}
		row := doc.Find(apptest.TestID("import-error"))
		if row.Length() != 1 || !strings.Contains(row.Text(), "aws-3") || !strings.Contains(row.Text(), "2012-06-31") {
			t.Errorf("error rows: %q", row.Text())
		}
		if n, _ := models.CountIncidents(context.Background(), db, models.IncidentFilter{}); n != 0 {
			t.Fatalf("%d incidents after a preview", n)
		}

		// The good file: preview, then confirm.
		r = upload(t, c, "cloud.csv", csvData, mapping).Expect(t, http.StatusSeeOther)
		page := r.Header.Get("Location")
		doc = c.Get(page).Expect(t, http.StatusOK).Doc(t)
		if doc.Find(apptest.TestID("count-create")).Text() != "356" || doc.Find(apptest.TestID("preview-row")).Length() != 20 {
			t.Fatalf("preview: %s", doc.Find(apptest.TestID("import-counts")).Text())
		}
		first := doc.Find(apptest.TestID("preview-row")).First().Text()
		if !strings.Contains(first, "aws-2") || !strings.Contains(first, "2011-04-29 00:00 UTC") || !strings.Contains(first, "aws") {
			t.Errorf("first preview row %q", first)
		}
		r = c.Form(page+"/confirm", nil).Expect(t, http.StatusSeeOther)
		doc = c.Get(r.Header.Get("Location")).Expect(t, http.StatusOK).Doc(t)
		if !strings.Contains(doc.Find(apptest.TestID("import-report")).Text(), "356 incidents created") {
			t.Fatalf("report: %s", doc.Find("main").Text())
		}
		// Confirming twice does not import twice.
		c.Form(page+"/confirm", nil).Expect(t, http.StatusSeeOther)
		if n, _ := models.CountIncidents(context.Background(), db, models.IncidentFilter{}); n != 356 {
			t.Fatalf("%d incidents", n)
		}
		v, _ := env.As(models.RoleViewer)
		v.Get("/incidents/import").Expect(t, http.StatusForbidden)
	})
}

// TestLargeImportRunsInTheBackground: above the threshold the confirmation
// returns at once and the page polls a progress bar until the report.
func TestLargeImportRunsInTheBackground(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db, func(cfg *app.Config, _ *app.Deps) { cfg.ImportAsyncRows = 100 })
		c, _ := env.As(models.RoleMember)
		r := upload(t, c, "cloud.csv", readFile(t, "../models/testdata/cloud_incidents.csv"), string(readFile(t, "../docs/mappings/cloud_incidents.yaml"))).Expect(t, http.StatusSeeOther)
		page := r.Header.Get("Location")
		c.Form(page+"/confirm", nil).Expect(t, http.StatusSeeOther)
		deadline := time.Now().Add(2 * time.Minute)
		for {
			r = c.Do(http.MethodGet, page+"/progress", nil, http.Header{"HX-Request": {"true"}}).Expect(t, http.StatusOK)
			doc := r.Doc(t)
			if doc.Find(apptest.TestID("import-running")).Length() == 1 {
				if doc.Find(apptest.TestID("import-progress")).Length() != 1 {
					t.Fatal("no progress bar while running")
				}
				if time.Now().After(deadline) {
					t.Fatal("the import never finished")
				}
				time.Sleep(50 * time.Millisecond)
				continue
			}
			if !strings.Contains(doc.Find(apptest.TestID("import-report")).Text(), "356 incidents created") {
				t.Fatalf("final state: %s", r.Body)
			}
			break
		}
	})
}
