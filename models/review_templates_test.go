package models_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func TestBuiltinTemplates(t *testing.T) {
	defs, err := models.BuiltinTemplates()
	if err != nil {
		t.Fatal(err)
	}
	if len(defs) != 2 {
		t.Fatalf("%d built-in templates", len(defs))
	}
	themes := []string{"ownership", "slos", "observability", "runbooks", "capacity", "dependencies", "change", "backups", "disaster-recovery", "security", "data-hygiene"}
	for _, d := range defs {
		if n := d.QuestionCount(); n < 25 || n > 40 {
			t.Errorf("%s: %d questions, want 25–40", d.Key, n)
		}
		var keys []string
		for _, s := range d.Sections {
			keys = append(keys, s.Key)
		}
		if strings.Join(keys, ",") != strings.Join(themes, ",") {
			t.Errorf("%s: sections %v, want %v", d.Key, keys, themes)
		}
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		for range 2 { // idempotent
			if err := models.EnsureBuiltinTemplates(ctx, db); err != nil {
				t.Fatal(err)
			}
		}
		vs := must(models.PublishedVersions(ctx, db))
		if len(vs) != 2 || vs[0].Number != 1 || vs[0].Status != models.TemplatePublished {
			t.Fatalf("published: %+v", vs)
		}
		v := must(models.GetTemplateVersionByKey(ctx, db, "operational-readiness", 0))
		if len(v.Questions()) != 36 || v.Sections[0].Questions[0].Key != "owner-team" {
			t.Fatalf("loaded %d questions", len(v.Questions()))
		}
	})
}

const sampleYAML = `debrief: review-template/v1
key: queue-readiness
name: Queue readiness
description: For message queues.
sections:
  - title: Ownership
    questions:
      - key: owner
        prompt: A team owns the queue.
        guidance: |
          Name the team.
        evidence: Catalog entry
        risk: high
  - key: capacity
    title: Capacity
    questions:
      - key: backlog-alert
        prompt: Backlog growth pages someone.
        risk: medium
      - key: dlq
        prompt: A dead letter queue exists and is watched.
        risk: low
`

func TestTemplateYAMLRoundTrip(t *testing.T) {
	d, err := models.ParseTemplateYAML([]byte(sampleYAML))
	if err != nil {
		t.Fatal(err)
	}
	if d.Sections[0].Key != "ownership" || d.QuestionCount() != 3 || d.Sections[0].Questions[0].Guidance != "Name the team." {
		t.Fatalf("parsed %+v", d)
	}
	out, err := models.TemplateYAML(d, "exported for a test\nsecond line")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "# exported for a test\n# second line\ndebrief: review-template/v1\n") {
		t.Fatalf("export:\n%s", out)
	}
	back, err := models.ParseTemplateYAML(out)
	if err != nil {
		t.Fatalf("re-import of the export: %v\n%s", err, out)
	}
	if back.Hash() != d.Hash() {
		t.Fatalf("round trip changed the content:\n%s", out)
	}
	again, _ := models.TemplateYAML(back, "exported for a test\nsecond line")
	if string(again) != string(out) {
		t.Fatal("export is not stable")
	}
	// The built-ins round-trip too.
	defs, _ := models.BuiltinTemplates()
	for _, bd := range defs {
		y, err := models.TemplateYAML(bd, "")
		if err != nil {
			t.Fatal(err)
		}
		b2, err := models.ParseTemplateYAML(y)
		if err != nil || b2.Hash() != bd.Hash() {
			t.Fatalf("%s does not round-trip: %v", bd.Key, err)
		}
	}
}

func problems(t *testing.T, err error) []string {
	t.Helper()
	ve, ok := models.AsValidation(err)
	if !ok {
		t.Fatalf("want a validation error, got %v", err)
	}
	if ve.Fields["file"] == "" {
		t.Fatalf("no message at file: %v", ve)
	}
	return ve.Global
}

func wantProblem(t *testing.T, err error, want string) {
	t.Helper()
	ps := problems(t, err)
	for _, p := range ps {
		if strings.Contains(p, want) {
			return
		}
	}
	t.Fatalf("no problem %q in %q", want, ps)
}

func TestBrokenTemplateYAMLIsRefusedWhole(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"syntax", "debrief: review-template/v1\nkey: x\n  name: [unclosed\n", "line 3"},
		{"empty", "", "the file is empty"},
		{"no marker", "key: x\nname: X\nsections: []\n", "debrief: review-template/v1"},
		{"other format", "debrief: review-template/v9\nkey: x\nname: X\n", `unsupported format "review-template/v9"`},
		{"unknown field", strings.Replace(sampleYAML, "        evidence: Catalog entry", "        evidense: Catalog entry", 1), `line 12, sections[0].questions[0].evidense: unknown field "evidense"`},
		{"bad risk", strings.Replace(sampleYAML, "risk: medium", "risk: severe", 1), `line 19, sections[1].questions[0].risk: risk must be high, medium or low, not "severe"`},
		{"duplicate key", strings.Replace(sampleYAML, "key: dlq", "key: backlog-alert", 1), `line 20, sections[1].questions[1].key: question key "backlog-alert" is already used by sections[1].questions[0]`},
		{"missing prompt", strings.Replace(sampleYAML, "        prompt: A team owns the queue.\n", "", 1), "sections[0].questions[0].prompt: prompt is required"},
		{"bad key", strings.Replace(sampleYAML, "key: queue-readiness", "key: Queue Readiness", 1), "line 2, key: key must be lowercase"},
		{"sections not a list", "debrief: review-template/v1\nkey: x\nname: X\nsections: nope\n", "line 4, sections: must be a list"},
		{"two documents", sampleYAML + "---\nkey: y\n", "more than one YAML document"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := models.ParseTemplateYAML([]byte(tc.src))
			wantProblem(t, err, tc.want)
		})
	}
}

func TestWellArchitectedLensImport(t *testing.T) {
	src, err := os.ReadFile("testdata/lens.json")
	if err != nil {
		t.Fatal(err)
	}
	d, err := models.ParseWellArchitectedLens(src, "")
	if err != nil {
		t.Fatal(err)
	}
	if d.Key != "platform-resilience-lens" || d.Name != "Platform resilience lens" || len(d.Sections) != 2 || d.QuestionCount() != 3 {
		t.Fatalf("lens %+v", d)
	}
	q := d.Sections[0].Questions[0]
	if q.Key != "rel_backup" || q.Risk != models.RiskHigh || !strings.Contains(q.Guidance, "**Best practices**") ||
		!strings.Contains(q.Guidance, "[Backup guide](https://docs.example.com/backup)") || !strings.Contains(q.Evidence, "Backups run daily") {
		t.Fatalf("question %+v", q)
	}
	if d.Sections[0].Questions[1].Risk != models.RiskMedium || d.Sections[1].Questions[0].Risk != models.RiskLow {
		t.Fatalf("risk mapping: %s %s", d.Sections[0].Questions[1].Risk, d.Sections[1].Questions[0].Risk)
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		admin := mkUser(t, db, models.RoleAdmin)
		res := must(models.ImportTemplate(ctx, db, actorOf(admin), d, models.TemplateImportOptions{Source: models.TemplateSourceLens, Publish: true}))
		if res.Version.Status != models.TemplatePublished || res.Version.Number != 1 || res.Unchanged {
			t.Fatalf("import %+v", res)
		}
		again := must(models.ImportTemplate(ctx, db, actorOf(admin), d, models.TemplateImportOptions{Source: models.TemplateSourceLens}))
		if !again.Unchanged || again.Version.ID != res.Version.ID {
			t.Fatal("re-import duplicated the template")
		}
	})

	broken := []struct{ name, src, want string }{
		{"syntax", "{\n  \"name\": \"x\",\n  \"pillars\": [\n}", "line 4: not valid JSON"},
		{"truncated", "{\n  \"name\": \"x\",\n", "ends too early"},
		{"no pillars", `{"name": "x"}`, "has no \"pillars\""},
		{"bad risk", strings.Replace(string(src), `"risk": "MEDIUM_RISK"`, `"risk": "SOMEWHAT_RISKY"`, 1), "risk must be HIGH_RISK, MEDIUM_RISK or NO_RISK"},
		{"unknown choice in rule", strings.Replace(string(src), `"condition": "backup_daily && backup_offsite"`, `"condition": "backup_daily && backup_hourly"`, 1), `condition names "backup_hourly"`},
		{"missing title", strings.Replace(string(src), `"title": "How do you back up state?",`, ``, 1), "pillars[0].questions[0].title: question title is required"},
	}
	for _, tc := range broken {
		t.Run(tc.name, func(t *testing.T) {
			_, err := models.ParseWellArchitectedLens([]byte(tc.src), "")
			wantProblem(t, err, tc.want)
		})
	}
	// Lines point at the place in the JSON.
	_, err = models.ParseWellArchitectedLens([]byte(strings.Replace(string(src), `"risk": "MEDIUM_RISK"`, `"risk": "SOMEWHAT_RISKY"`, 1)), "")
	wantProblem(t, err, "line 22, pillars[0].questions[0].riskRules[1].risk")
}

func TestTemplateVersionLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		admin := mkUser(t, db, models.RoleAdmin)
		act := actorOf(admin)
		d := must(models.ParseTemplateYAML([]byte(sampleYAML)))
		res := must(models.ImportTemplate(ctx, db, act, d, models.TemplateImportOptions{}))
		v1 := res.Version
		if v1.Status != models.TemplateDraft || v1.Number != 1 {
			t.Fatalf("v1 %+v", v1)
		}
		// Drafts can be edited; a stale version conflicts.
		d.Sections[0].Questions[0].Prompt = "A named team owns the queue."
		v1 = must(models.SaveDraft(ctx, db, act, v1.ID, v1.Version, d, "yaml"))
		_, err := models.SaveDraft(ctx, db, act, v1.ID, v1.Version-1, d, "yaml")
		var ce *models.ConflictError
		if !errors.As(err, &ce) {
			t.Fatalf("stale draft save: %v", err)
		}
		d.Key = "renamed"
		_, err = models.SaveDraft(ctx, db, act, v1.ID, v1.Version, d, "yaml")
		wantField(t, err, "yaml")
		d.Key = "queue-readiness"

		if err := models.PublishTemplateVersion(ctx, db, act, v1.ID); err != nil {
			t.Fatal(err)
		}
		// A published version never changes: refused by the model and by the database.
		_, err = models.SaveDraft(ctx, db, act, v1.ID, v1.Version+1, d, "yaml")
		if !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("edit published: %v", err)
		}
		if err := db.Exec("UPDATE review_template_questions SET prompt = 'changed' WHERE template_version_id = ?", v1.ID).Error; err == nil {
			t.Fatal("the database let a published question change")
		}
		if err := db.Exec("DELETE FROM review_template_questions WHERE template_version_id = ?", v1.ID).Error; err == nil {
			t.Fatal("the database let a published question be deleted")
		}
		if err := db.Exec("UPDATE review_template_versions SET name = 'x' WHERE id = ?", v1.ID).Error; err == nil {
			t.Fatal("the database let a published version be renamed")
		}
		if err := models.PublishTemplateVersion(ctx, db, act, v1.ID); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("publish twice: %v", err)
		}

		// New draft from v1; publishing it deprecates v1.
		v2 := must(models.NewDraftFrom(ctx, db, act, v1.ID))
		if v2.Number != 2 || v2.Status != models.TemplateDraft || len(v2.Questions()) != 3 {
			t.Fatalf("v2 %+v", v2)
		}
		same := must(models.NewDraftFrom(ctx, db, act, v1.ID))
		if same.ID != v2.ID {
			t.Fatal("a second draft was started")
		}
		d2 := v2.Def()
		d2.Sections[1].Questions = d2.Sections[1].Questions[:1]
		d2.Sections = append(d2.Sections, models.SectionDef{Title: "Data hygiene", Questions: []models.QuestionDef{{Key: "retention", Prompt: "Messages expire.", Risk: "low"}}})
		v2 = must(models.SaveDraft(ctx, db, act, v2.ID, v2.Version, d2, "yaml"))
		if err := models.PublishTemplateVersion(ctx, db, act, v2.ID); err != nil {
			t.Fatal(err)
		}
		v1 = must(models.GetTemplateVersion(ctx, db, v1.ID))
		newest := must(models.GetTemplateVersionByKey(ctx, db, "queue-readiness", 0))
		if v1.Status != models.TemplateDeprecated || newest.ID != v2.ID || len(v1.Questions()) != 3 {
			t.Fatalf("after publishing v2: v1 %s, newest v%d", v1.Status, newest.Number)
		}
		if err := models.DeprecateTemplateVersion(ctx, db, act, v2.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := models.GetTemplateVersionByKey(ctx, db, "queue-readiness", 0); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("no published version left: %v", err)
		}
		// Drafts can be discarded, published versions cannot.
		v3 := must(models.NewDraftFrom(ctx, db, act, v2.ID))
		if err := models.DiscardDraft(ctx, db, act, v3.ID); err != nil {
			t.Fatal(err)
		}
		if err := models.DiscardDraft(ctx, db, act, v2.ID); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("discard published: %v", err)
		}
		blank := must(models.CreateBlankTemplate(ctx, db, act, "", "Cache review"))
		if blank.Key() != "cache-review" || blank.Status != models.TemplateDraft {
			t.Fatalf("blank %+v", blank)
		}
		if err := models.PublishTemplateVersion(ctx, db, act, blank.ID); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("publish empty: %v", err)
		}
	})
}
