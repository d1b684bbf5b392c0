package models_test

import (
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestActionItemSourceIsDerivedFromReferences: CreateActionItem derives
// kind, review, finding, component and incident from whatever references
// it gets (the pages' and the API's alike) and refuses unknown and
// inconsistent ones with a ValidationError naming the reference, storing
// nothing.
func TestActionItemSourceIsDerivedFromReferences(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newReviewFixture(t, db)
		act := actorOf(f.member)
		first := f.review(t)
		fd := must(models.CreateFinding(ctx, db, act, first.ID, models.FindingInput{Title: "No restore drill", Risk: "high"}))
		second := f.review(t) // tracks fd, carried over
		other := mkComponent(t, db, "Billing", 2)
		otherReview := must(models.CreateReview(ctx, db, act, models.NewReview{Component: other.Slug, TemplateKey: "mini", Facilitator: f.facilitator.Email}))
		inc := mkIncident(t, db, "Checkout errors", "SEV2", f.member, other.ID)
		id := func(v int64) *int64 { return &v }
		create := func(in models.NewActionItem) (*models.ActionItem, error) {
			in.Title = "Run a restore drill"
			return models.CreateActionItem(ctx, db, act, in)
		}
		type want struct {
			kind                            string
			review, finding, comp, incident *int64
		}
		check := func(name string, a *models.ActionItem, w want) {
			t.Helper()
			eq := func(got, want *int64) bool { return (got == nil) == (want == nil) && (got == nil || *got == *want) }
			if a.SourceKind != w.kind || !eq(a.ReviewID, w.review) || !eq(a.FindingID, w.finding) || !eq(a.ComponentID, w.comp) || !eq(a.IncidentID, w.incident) {
				t.Errorf("%s: kind %s review %v finding %v component %v incident %v, want %+v", name, a.SourceKind, a.ReviewID, a.FindingID, a.ComponentID, a.IncidentID, w)
			}
		}

		// Derivation from each kind of reference.
		check("finding", must(create(models.NewActionItem{FindingID: &fd.ID})),
			want{kind: models.SourceFinding, review: &first.ID, finding: &fd.ID, comp: &f.comp.ID})
		check("finding in a review that carried it over", must(create(models.NewActionItem{FindingID: &fd.ID, ReviewID: &second.ID, ComponentSlug: f.comp.Slug})),
			want{kind: models.SourceFinding, review: &second.ID, finding: &fd.ID, comp: &f.comp.ID})
		check("review", must(create(models.NewActionItem{ReviewID: &second.ID})),
			want{kind: models.SourceReview, review: &second.ID, comp: &f.comp.ID})
		check("component slug", must(create(models.NewActionItem{ComponentSlug: other.Slug})),
			want{kind: models.SourceManual, comp: &other.ID})
		check("incident key: its postmortem", must(create(models.NewActionItem{IncidentKey: inc.Key()})),
			want{kind: models.SourcePostmortem, incident: &inc.ID})
		check("incident and retro", must(create(models.NewActionItem{IncidentID: &inc.ID, SourceKind: models.SourceRetro})),
			want{kind: models.SourceRetro, incident: &inc.ID})
		check("retro without an incident", must(create(models.NewActionItem{SourceKind: models.SourceRetro})),
			want{kind: models.SourceRetro})
		check("finding with an incident", must(create(models.NewActionItem{FindingID: &fd.ID, IncidentKey: inc.Key()})),
			want{kind: models.SourceFinding, review: &first.ID, finding: &fd.ID, comp: &f.comp.ID, incident: &inc.ID})
		check("manual", must(create(models.NewActionItem{})), want{kind: models.SourceManual})
		before := must(models.CountActionItems(ctx, db, models.ActionItemFilter{}))

		// Unknown and inconsistent references, each named.
		for _, c := range []struct {
			name  string
			in    models.NewActionItem
			field string
		}{
			{"unknown finding", models.NewActionItem{FindingID: id(999999)}, models.RefFinding},
			{"unknown review", models.NewActionItem{ReviewID: id(999999)}, models.RefReview},
			{"unknown component slug", models.NewActionItem{ComponentSlug: "nope"}, models.RefComponent},
			{"unknown component id", models.NewActionItem{ComponentID: id(999999)}, models.RefComponent},
			{"unknown incident key", models.NewActionItem{IncidentKey: "INC-4040"}, models.RefIncident},
			{"malformed incident key", models.NewActionItem{IncidentKey: "yesterday"}, models.RefIncident},
			{"unknown incident id", models.NewActionItem{IncidentID: id(999999)}, models.RefIncident},
			{"finding of another review", models.NewActionItem{FindingID: &fd.ID, ReviewID: &otherReview.ID}, models.RefReview},
			{"finding of another component", models.NewActionItem{FindingID: &fd.ID, ComponentSlug: other.Slug}, models.RefComponent},
			{"review of another component", models.NewActionItem{ReviewID: &first.ID, ComponentID: &other.ID}, models.RefComponent},
			{"component id and slug disagree", models.NewActionItem{ComponentID: &f.comp.ID, ComponentSlug: other.Slug}, models.RefComponent},
			{"incident id and key disagree", models.NewActionItem{IncidentID: id(inc.ID + 1), IncidentKey: inc.Key()}, models.RefIncident},
			{"a finding's item called a review's", models.NewActionItem{FindingID: &fd.ID, SourceKind: models.SourceReview}, models.RefSourceKind},
			{"a finding's item called a postmortem's", models.NewActionItem{FindingID: &fd.ID, IncidentID: &inc.ID, SourceKind: models.SourcePostmortem}, models.RefSourceKind},
			{"a postmortem's item without its incident", models.NewActionItem{SourceKind: models.SourcePostmortem}, models.RefIncident},
			{"an unknown kind", models.NewActionItem{SourceKind: "rumour"}, models.RefSourceKind},
		} {
			_, err := create(c.in)
			if !models.IsReferenceError(err) {
				t.Errorf("%s: %v is not a reference error", c.name, err)
			}
			wantField(t, err, c.field)
		}
		// A bad reference and a bad field are reported together.
		_, err := models.CreateActionItem(ctx, db, act, models.NewActionItem{IncidentKey: "INC-4040", ActionItemInput: models.ActionItemInput{Owner: "nobody@example.com"}})
		wantField(t, err, models.RefIncident)
		wantField(t, err, "title")
		wantField(t, err, "owner")
		if after := must(models.CountActionItems(ctx, db, models.ActionItemFilter{})); after != before {
			t.Fatalf("refused items were stored: %d → %d", before, after)
		}

		// What a form shows of the source: titles and the component's team.
		src := must(models.ResolveActionSource(ctx, db, models.NewActionItem{FindingID: &fd.ID}))
		if src.Finding.Title != fd.Title || src.Review.ID != first.ID || src.Component.Name != f.comp.Name {
			t.Fatalf("source %+v", src)
		}
	})
}

// TestPostmortemItemsAreAboutTheIncidentsComponents: a postmortem's item
// names one of its incident's components, or none.
func TestPostmortemItemsAreAboutTheIncidentsComponents(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		u := mkUser(t, db, models.RoleMember)
		comp, other := mkComponent(t, db, "Gateway", 1), mkComponent(t, db, "Billing", 2)
		inc := mkIncident(t, db, "Gateway errors", "SEV2", u, comp.ID)
		pm := mkPostmortem(t, db, inc, u)
		a := must(models.CreatePostmortemActionItem(ctx, db, actorOf(u), pm.ID, models.NewActionItem{ActionItemInput: models.ActionItemInput{Title: "Alert on 5xx"}, ComponentSlug: comp.Slug}))
		if a.ComponentID == nil || *a.ComponentID != comp.ID || a.SourceKind != models.SourcePostmortem || *a.IncidentID != inc.ID {
			t.Fatalf("item %+v", a)
		}
		_, err := models.CreatePostmortemActionItem(ctx, db, actorOf(u), pm.ID, models.NewActionItem{ActionItemInput: models.ActionItemInput{Title: ""}, ComponentSlug: other.Slug})
		wantField(t, err, models.RefComponent)
		wantField(t, err, "title")
		if n := len(must(models.ListPostmortemActionItems(ctx, db, pm.ID))); n != 1 {
			t.Fatalf("%d items", n)
		}
	})
}
