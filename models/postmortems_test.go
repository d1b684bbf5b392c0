package models_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func mkIncident(t *testing.T, db *gorm.DB, title, severity string, commander *models.User, components ...int64) *models.Incident {
	t.Helper()
	in := models.IncidentInput{Title: title, StartedAt: at("2026-03-02T14:00:00Z"), ComponentIDs: components,
		DetectedAt: at("2026-03-02T14:05:00Z"), ResolvedAt: at("2026-03-02T15:30:00Z")}
	if severity != "" {
		in.SeverityID = sev(t, db, severity)
	}
	if commander != nil {
		in.CommanderID = &commander.ID
	}
	return must(models.CreateIncident(ctx, db, models.SystemActor("test"), in))
}

func mkPostmortem(t *testing.T, db *gorm.DB, inc *models.Incident, by *models.User) *models.Postmortem {
	t.Helper()
	today := models.DateOf(time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC))
	s := must(models.SuggestPostmortem(ctx, db, actorOf(by), inc, today))
	return must(models.CreatePostmortem(ctx, db, actorOf(by), inc.ID, models.NewPostmortem{
		TemplateID: s.TemplateID, OwnerID: s.OwnerID, FacilitatorID: s.FacilitatorID, DueDate: s.DueDate.String(),
	}))
}

func TestDefaultPostmortemTemplateIsShipped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		tpl := must(models.DefaultPostmortemTemplate(ctx, db))
		var keys []string
		for _, s := range tpl.Sections {
			keys = append(keys, s.Key)
			if s.Guidance == "" {
				t.Errorf("section %s has no guidance", s.Key)
			}
		}
		want := "summary impact timeline contributing_factors went_well was_hard lucky lessons supporting"
		if strings.Join(keys, " ") != want {
			t.Fatalf("sections %v, want %s", keys, want)
		}
		rows := must(models.ListPostmortemDefaults(ctx, db))
		if len(rows) != 4 || !rows[0].Stored || rows[0].DueDays != 7 || rows[3].DueDays != 30 {
			t.Fatalf("severity defaults %+v", rows)
		}
	})
}

func TestPostmortemTemplatesAreEditedByVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		admin := actorOf(mkUser(t, db, models.RoleAdmin))
		_, err := models.CreatePostmortemTemplate(ctx, db, admin, models.PostmortemTemplateInput{
			Name: "Security", Sections: []models.TemplateSectionInput{{Title: "Summary"}, {Title: " summary "}, {Guidance: "no title"}},
		})
		wantField(t, err, "sections.1.title")
		wantField(t, err, "sections.2.title")
		_, err = models.CreatePostmortemTemplate(ctx, db, admin, models.PostmortemTemplateInput{Name: "blameless POSTMORTEM", Sections: []models.TemplateSectionInput{{Title: "A"}}})
		wantField(t, err, "name")

		tpl := must(models.CreatePostmortemTemplate(ctx, db, admin, models.PostmortemTemplateInput{
			Name: "Security incident", Sections: []models.TemplateSectionInput{{Title: "What happened?"}, {Title: "Data exposed", Guidance: "Which data, whose."}, {}},
		}))
		if len(tpl.Sections) != 2 || tpl.Sections[0].Key != "what_happened" || tpl.Sections[1].Position != 2 {
			t.Fatalf("sections %+v", tpl.Sections)
		}
		up := must(models.UpdatePostmortemTemplate(ctx, db, admin, tpl.ID, tpl.Version, models.PostmortemTemplateInput{
			Name: "Security incident", Sections: []models.TemplateSectionInput{{Key: "what_happened", Title: "What happened"}, {Title: "Disclosure"}},
		}))
		if up.Version != 2 || up.Sections[0].Key != "what_happened" || up.Sections[1].Title != "Disclosure" {
			t.Fatalf("updated %+v", up)
		}
		_, err = models.UpdatePostmortemTemplate(ctx, db, admin, tpl.ID, tpl.Version, models.PostmortemTemplateInput{Name: "X", Sections: []models.TemplateSectionInput{{Title: "A"}}})
		var ce *models.ConflictError
		if !errors.As(err, &ce) {
			t.Fatalf("stale version: %v", err)
		}

		must(0, models.SetDefaultPostmortemTemplate(ctx, db, admin, tpl.ID))
		def := must(models.DefaultPostmortemTemplate(ctx, db))
		if def.ID != tpl.ID {
			t.Fatalf("default is %d, want %d", def.ID, tpl.ID)
		}
		_, err = models.UpdatePostmortemTemplate(ctx, db, admin, tpl.ID, def.Version, models.PostmortemTemplateInput{Name: def.Name, Archived: true, Sections: []models.TemplateSectionInput{{Title: "A"}}})
		wantField(t, err, "archived")
		if n := len(must(models.ListPostmortemTemplates(ctx, db, false))); n != 2 {
			t.Fatalf("%d templates", n)
		}
	})
}

func TestPostmortemDefaultsBySeverity(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		admin := mkUser(t, db, models.RoleAdmin)
		ic := mkUser(t, db, models.RoleMember)
		fac := mkUser(t, db, models.RoleFacilitator)
		sev2 := *sev(t, db, "SEV2")
		err := models.SavePostmortemDefaults(ctx, db, actorOf(admin), []models.PostmortemDefaultInput{{SeverityID: sev2, DueDays: 0, Facilitator: "nobody@example.com"}})
		wantField(t, err, "defaults."+strconv.FormatInt(sev2, 10)+".due_days")
		wantField(t, err, "defaults."+strconv.FormatInt(sev2, 10)+".facilitator")
		must(0, models.SavePostmortemDefaults(ctx, db, actorOf(admin), []models.PostmortemDefaultInput{{SeverityID: sev2, DueDays: 5, Facilitator: fac.Email}}))

		today := models.DateOf(time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC))
		inc := mkIncident(t, db, "Checkout errors", "SEV2", ic)
		s := must(models.SuggestPostmortem(ctx, db, actorOf(admin), inc, today))
		if *s.OwnerID != ic.ID || s.FacilitatorID == nil || *s.FacilitatorID != fac.ID || s.DueDate.String() != "2026-03-08" {
			t.Fatalf("suggestion %+v", s)
		}
		if !strings.Contains(s.Why, "SEV2: due 5 days") || !strings.Contains(s.Why, fac.Name) {
			t.Fatalf("why %q", s.Why)
		}
		// No commander: whoever starts it owns it; SEV4 is due in 30 days.
		low := mkIncident(t, db, "Slow builds", "SEV4", nil)
		s = must(models.SuggestPostmortem(ctx, db, actorOf(admin), low, today))
		if *s.OwnerID != admin.ID || s.FacilitatorID != nil || s.DueDays != 30 {
			t.Fatalf("suggestion %+v", s)
		}
	})
}

func TestPostmortemSectionsNeverOverwriteSilently(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ada, bob := mkUser(t, db, models.RoleMember), mkUser(t, db, models.RoleMember)
		inc := mkIncident(t, db, "Queue backlog", "SEV3", ada)
		pm := mkPostmortem(t, db, inc, ada)
		if len(pm.Sections) != 9 || pm.Status != models.PostmortemDraft || pm.DueDate.String() != "2026-03-17" {
			t.Fatalf("postmortem %+v", pm)
		}
		_, err := models.CreatePostmortem(ctx, db, actorOf(ada), inc.ID, models.NewPostmortem{TemplateID: *pm.TemplateID})
		if !errors.Is(err, models.ErrDuplicate) {
			t.Fatalf("second postmortem: %v", err)
		}

		sec := pm.Section("impact")
		a1 := must(models.SavePostmortemSection(ctx, db, actorOf(ada), pm.ID, sec.ID, 1, "Ada's first words"))
		a2 := must(models.SavePostmortemSection(ctx, db, actorOf(ada), pm.ID, sec.ID, a1.Version, "Ada's first words, more"))
		if a2.Version != 3 || a2.UpdatedBy.ID != ada.ID {
			t.Fatalf("after two saves %+v", a2)
		}
		// Bob loaded version 1 and saves: a conflict carrying Ada's text.
		_, err = models.SavePostmortemSection(ctx, db, actorOf(bob), pm.ID, sec.ID, 1, "Bob's text")
		var ce *models.ConflictError
		if !errors.As(err, &ce) || ce.Current.(*models.PostmortemSection).Body != "Ada's first words, more" {
			t.Fatalf("stale save: %v", err)
		}
		// Saving exactly what is stored is no conflict.
		same := must(models.SavePostmortemSection(ctx, db, actorOf(bob), pm.ID, sec.ID, 1, "Ada's first words, more"))
		if same.Version != 3 {
			t.Fatalf("identical save bumped the version: %d", same.Version)
		}
		// Bob keeps his text after seeing the conflict: he saves on version 3.
		b := must(models.SavePostmortemSection(ctx, db, actorOf(bob), pm.ID, sec.ID, 3, "Bob's text"))
		revs := must(models.ListSectionRevisions(ctx, db, sec.ID))
		if b.Version != 4 || len(revs) != 2 || revs[0].Body != "Bob's text" || revs[1].Body != "Ada's first words, more" || revs[1].Version != 3 {
			t.Fatalf("revisions %+v", revs)
		}
		// Another section is independent of this one's version.
		must(models.SavePostmortemSection(ctx, db, actorOf(ada), pm.ID, pm.Section("summary").ID, 1, "Summary"))
		_, err = models.SavePostmortemSection(ctx, db, actorOf(ada), pm.ID, sec.ID, 4, strings.Repeat("x", models.MaxMarkdownLength+1))
		wantField(t, err, "body")
	})
}

func TestPostmortemStatusAndReadOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ada := mkUser(t, db, models.RoleFacilitator)
		inc := mkIncident(t, db, "DNS outage", "SEV1", ada)
		pm := mkPostmortem(t, db, inc, ada)
		act := actorOf(ada)

		if _, err := models.ChangePostmortemStatus(ctx, db, act, pm.ID, models.PostmortemDraft, models.PostmortemPublished); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("draft → published: %v", err)
		}
		f := must(models.AddPostmortemFactor(ctx, db, act, pm.ID, models.FactorInput{Title: "The TTL was 24 hours", Description: "Set in 2019."}))
		_, err := models.AddPostmortemFactor(ctx, db, act, pm.ID, models.FactorInput{Kind: "root_cause", Title: ""})
		wantField(t, err, "kind")
		wantField(t, err, "title")
		must(models.AddPostmortemFactor(ctx, db, act, pm.ID, models.FactorInput{Kind: models.FactorFinding, Title: "Nobody owns the zone files"}))

		pm = must(models.ChangePostmortemStatus(ctx, db, act, pm.ID, models.PostmortemDraft, models.PostmortemInReview))
		if pm.ReviewRequestedAt == nil {
			t.Fatal("review time not set")
		}
		// A second click from the same stale page: a conflict, no move.
		var ce *models.ConflictError
		if _, err := models.ChangePostmortemStatus(ctx, db, act, pm.ID, models.PostmortemDraft, models.PostmortemInReview); !errors.As(err, &ce) {
			t.Fatalf("stale status change: %v", err)
		}
		pm = must(models.ChangePostmortemStatus(ctx, db, act, pm.ID, models.PostmortemInReview, models.PostmortemPublished))
		if pm.PublishedAt == nil || pm.Editable() {
			t.Fatalf("published %+v", pm)
		}

		sec := pm.Section("summary")
		if _, err := models.SavePostmortemSection(ctx, db, act, pm.ID, sec.ID, sec.Version, "late edit"); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("edit after publishing: %v", err)
		}
		if _, err := models.AddPostmortemFactor(ctx, db, act, pm.ID, models.FactorInput{Title: "late"}); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("factor after publishing: %v", err)
		}
		if err := models.DeletePostmortemFactor(ctx, db, act, pm.ID, f.ID); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("delete factor after publishing: %v", err)
		}
		if _, err := models.UpdatePostmortemPeople(ctx, db, act, pm.ID, pm.Version, models.PostmortemPeople{}); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("people after publishing: %v", err)
		}
		// Action items still come.
		a := must(models.CreatePostmortemActionItem(ctx, db, act, pm.ID, models.NewActionItem{ActionItemInput: models.ActionItemInput{Title: "Lower the TTL", Owner: ada.Email, DueDate: "2026-04-01"}}))
		if a.SourceKind != models.SourcePostmortem || a.PostmortemID == nil || *a.PostmortemID != pm.ID {
			t.Fatalf("action item %+v", a)
		}
		if a.IncidentID == nil || *a.IncidentID != pm.IncidentID {
			t.Fatalf("postmortem action item not linked to its incident: %v", a.IncidentID)
		}
		if items := must(models.ListPostmortemActionItems(ctx, db, pm.ID)); len(items) != 1 {
			t.Fatalf("%d action items", len(items))
		}
		factors := must(models.ListPostmortemFactors(ctx, db, pm.ID))
		if len(factors) != 2 || factors[0].Kind != models.FactorContributing || factors[1].Kind != models.FactorFinding {
			t.Fatalf("factors %+v", factors)
		}
		// Reopening (an admin's route) makes it editable again.
		pm = must(models.ChangePostmortemStatus(ctx, db, act, pm.ID, models.PostmortemPublished, models.PostmortemDraft))
		if pm.PublishedAt != nil || !pm.Editable() {
			t.Fatalf("reopened %+v", pm)
		}
		counts := must(models.CountPostmortemsByStatus(ctx, db))
		if counts[models.PostmortemDraft] != 1 {
			t.Fatalf("counts %v", counts)
		}
		list := must(models.ListPostmortems(ctx, db, models.PostmortemFilter{Overdue: true, Today: models.DateOf(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))}))
		if len(list) != 1 || list[0].Incident.Severity.Name != "SEV1" {
			t.Fatalf("overdue list %+v", list)
		}
	})
}
