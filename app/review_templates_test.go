package app_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

const queueYAML = `debrief: review-template/v1
key: queue-readiness
name: Queue readiness
sections:
  - title: Ownership
    questions:
      - key: owner
        prompt: A team owns the queue.
        risk: high
`

func multipartImport(t *testing.T, c *apptest.Client, fields map[string]string, fileName string, file []byte) *apptest.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	_ = w.WriteField("_csrf", c.CSRFToken())
	if fileName != "" {
		fw, _ := w.CreateFormFile("file", fileName)
		_, _ = fw.Write(file)
	}
	_ = w.Close()
	return c.Do(http.MethodPost, "/review-templates/import", &body, http.Header{"Content-Type": {w.FormDataContentType()}})
}

func TestTemplatePages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		admin, _ := env.As(models.RoleAdmin)
		member, _ := env.As(models.RoleMember)

		// The built-in templates appear on first use.
		doc := member.Get("/review-templates").Expect(t, http.StatusOK).Doc(t)
		if n := doc.Find(apptest.TestID("template-card")).Length(); n != 2 {
			t.Fatalf("%d templates listed", n)
		}
		member.Get("/review-templates/import").Expect(t, http.StatusForbidden)
		r := member.Get("/review-templates/operational-readiness").Expect(t, http.StatusSeeOther)
		doc = member.Get(r.Header.Get("Location")).Expect(t, http.StatusOK).Doc(t)
		if doc.Find(apptest.TestID("template-question")).Length() != 36 || doc.Find(apptest.TestID("template-status")).Text() != "published" {
			t.Fatal("built-in version page")
		}

		// A broken file is refused whole with its line.
		broken := strings.Replace(queueYAML, "risk: high", "risk: extreme", 1)
		r = multipartImport(t, admin, nil, "queue.yaml", []byte(broken)).Expect(t, http.StatusUnprocessableEntity)
		if p := r.Doc(t).Find(apptest.TestID("problems")).Text(); !strings.Contains(p, "line 9") || !strings.Contains(p, "extreme") {
			t.Fatalf("problems %q", p)
		}
		if _, err := models.GetTemplateByKey(t.Context(), db, "queue-readiness"); err == nil {
			t.Fatal("a broken file was partly imported")
		}
		// A good file becomes a draft; importing it again changes nothing.
		r = multipartImport(t, admin, nil, "queue.yaml", []byte(queueYAML)).Expect(t, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != "/review-templates/queue-readiness/versions/1" {
			t.Fatalf("import → %s", loc)
		}
		multipartImport(t, admin, map[string]string{"source": queueYAML}, "", nil).Expect(t, http.StatusSeeOther)
		if tm, _ := models.GetTemplateByKey(t.Context(), db, "queue-readiness"); len(tm.Versions) != 1 {
			t.Fatalf("%d versions after re-import", len(tm.Versions))
		}
		// Edit a question of the draft; a bad risk keeps the text.
		edit := admin.Get("/review-templates/queue-readiness/versions/1/questions/owner/edit").Expect(t, http.StatusOK).Doc(t)
		version, _ := edit.Find(`input[name="version"]`).Attr("value")
		r = admin.Form("/review-templates/queue-readiness/versions/1/questions/owner/edit", url.Values{"key": {"owner"}, "prompt": {"A named team owns it."}, "risk": {"huge"}, "version": {version}})
		r.Expect(t, http.StatusUnprocessableEntity)
		if r.Doc(t).Find(apptest.TestID("error-risk")).Length() != 1 {
			t.Fatalf("no risk message:\n%s", r.Body)
		}
		admin.Form("/review-templates/queue-readiness/versions/1/questions/owner/edit", url.Values{"key": {"owner"}, "prompt": {"A named team owns it."}, "risk": {"high"}, "version": {version}}).Expect(t, http.StatusSeeOther)
		// Saving over a draft that changed meanwhile is a conflict that
		// keeps the typed text; so is adding to it.
		r = admin.Form("/review-templates/queue-readiness/versions/1/questions/owner/edit", url.Values{"key": {"owner"}, "prompt": {"Stale prompt."}, "risk": {"high"}, "version": {version}})
		r.Expect(t, http.StatusConflict)
		if v := r.Doc(t).Find("#f-prompt").Text() + r.Doc(t).Find("#f-prompt").AttrOr("value", ""); !strings.Contains(v, "Stale prompt.") {
			t.Fatalf("conflict lost the prompt: %q", v)
		}
		r = admin.Form("/review-templates/queue-readiness/versions/1/sections", url.Values{"title": {"Stale section"}, "version": {version}})
		r.Expect(t, http.StatusConflict)
		if v := r.Doc(t).Find(apptest.TestID("add-section-form")+` input[name="title"]`).AttrOr("value", ""); v != "Stale section" {
			t.Fatalf("conflict lost the section title: %q", v)
		}
		lock := func() string {
			v, _ := admin.Get("/review-templates/queue-readiness/versions/1").Doc(t).Find(apptest.TestID("add-section-form") + ` input[name="version"]`).Attr("value")
			return v
		}
		admin.Form("/review-templates/queue-readiness/versions/1/sections/ownership/questions", url.Values{"key": {"pager"}, "prompt": {"Pages reach the team."}, "risk": {"medium"}, "version": {lock()}}).Expect(t, http.StatusSeeOther)
		// A duplicate key is refused at the key field.
		r = admin.Form("/review-templates/queue-readiness/versions/1/sections/ownership/questions", url.Values{"key": {"pager"}, "prompt": {"Again."}, "risk": {"medium"}, "version": {lock()}})
		r.Expect(t, http.StatusUnprocessableEntity)
		if r.Doc(t).Find(apptest.TestID("error-key")).Length() != 1 {
			t.Fatal("no message at the duplicate key")
		}
		admin.Form("/review-templates/queue-readiness/versions/1/sections", url.Values{"title": {"Capacity"}, "version": {lock()}}).Expect(t, http.StatusSeeOther)
		// Publishing refuses an empty section, then works once it is removed via YAML.
		y := admin.Get("/review-templates/queue-readiness/versions/1/edit").Expect(t, http.StatusOK).Doc(t)
		text := y.Find("textarea#f-yaml").Text()
		if !strings.Contains(text, "Pages reach the team.") || !strings.Contains(text, "title: Capacity") {
			t.Fatalf("yaml editor:\n%s", text)
		}
		yv, _ := y.Find(apptest.TestID("yaml-form") + ` input[name="version"]`).Attr("value")
		r = admin.Form("/review-templates/queue-readiness/versions/1/edit", url.Values{"yaml": {strings.Replace(text, "key: queue-readiness", "key: other", 1)}, "version": {yv}})
		r.Expect(t, http.StatusUnprocessableEntity)
		if r.Doc(t).Find(apptest.TestID("error-yaml")).Length() != 1 {
			t.Fatal("no message at the YAML")
		}
		// Publishing refuses the draft while a section has no question.
		admin.Form("/review-templates/queue-readiness/versions/1/publish", nil).Expect(t, http.StatusSeeOther)
		if st := admin.Get("/review-templates/queue-readiness/versions/1").Doc(t).Find(apptest.TestID("template-status")).Text(); st != "draft" {
			t.Fatalf("published with an empty section: %s", st)
		}
		fixed := text[:strings.Index(text, "  - key: capacity")]
		admin.Form("/review-templates/queue-readiness/versions/1/edit", url.Values{"yaml": {fixed}, "version": {yv}}).Expect(t, http.StatusSeeOther)
		admin.Form("/review-templates/queue-readiness/versions/1/publish", nil).Expect(t, http.StatusSeeOther)
		v := admin.Get("/review-templates/queue-readiness/versions/1").Expect(t, http.StatusOK).Doc(t)
		if v.Find(apptest.TestID("template-status")).Text() != "published" || v.Find(apptest.TestID("template-question")).Length() != 2 {
			t.Fatal("not published")
		}
		// Published versions are not editable.
		admin.Get("/review-templates/queue-readiness/versions/1/edit").Expect(t, http.StatusConflict)
		// Export round-trips through import (same content: unchanged).
		exp := member.Get("/review-templates/queue-readiness/versions/1/yaml").Expect(t, http.StatusOK)
		if !strings.HasPrefix(exp.Header.Get("Content-Type"), "application/yaml") || !strings.Contains(exp.Body, "A named team owns it.") {
			t.Fatalf("export %s", exp.Body)
		}
		multipartImport(t, admin, nil, "export.yaml", []byte(exp.Body)).Expect(t, http.StatusSeeOther)
		if tm, _ := models.GetTemplateByKey(t.Context(), db, "queue-readiness"); len(tm.Versions) != 1 {
			t.Fatal("re-importing the export made a version")
		}
		// New draft, then a lens import.
		admin.Form("/review-templates/queue-readiness/versions/1/draft", nil).Expect(t, http.StatusSeeOther)
		lens, err := os.ReadFile("../models/testdata/lens.json")
		if err != nil {
			t.Fatal(err)
		}
		r = multipartImport(t, admin, map[string]string{"publish": "1"}, "lens.json", lens).Expect(t, http.StatusSeeOther)
		doc = admin.Get(r.Header.Get("Location")).Expect(t, http.StatusOK).Doc(t)
		if doc.Find(apptest.TestID("template-status")).Text() != "published" || doc.Find(apptest.TestID("template-question")).Length() != 3 {
			t.Fatal("lens import")
		}
		// A blank template.
		admin.Form("/review-templates", url.Values{"name": {""}}).Expect(t, http.StatusUnprocessableEntity)
		admin.Form("/review-templates", url.Values{"name": {"Cache review"}}).Expect(t, http.StatusSeeOther)
	})
}
