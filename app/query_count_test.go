package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// findingRisks are the risks of the generated findings, by index.
var findingRisks = []string{models.RiskLow, "critical", models.RiskMedium, models.RiskHigh}

// reviewsWithFindings builds a component whose first review recorded n
// findings (risks mixed, one action item each and a second one for
// finding 1, finding 0 accepted by fac) and whose second review carries
// them over and adds a finding and a review item of its own. It returns
// both reviews.
func reviewsWithFindings(t *testing.T, db *gorm.DB, fac, owner *models.User, n int) (first, second *models.Review) {
	t.Helper()
	ctx := context.Background()
	act := models.ActorOf(fac, "")
	if err := models.EnsureBuiltinTemplates(ctx, db); err != nil {
		t.Fatal(err)
	}
	comp := must(models.CreateComponent(ctx, db, act, models.ComponentInput{Name: fmt.Sprintf("Fleet %d", n), Tier: 1}))
	newReview := func() *models.Review {
		return must(models.CreateReview(ctx, db, act, models.NewReview{Component: comp.Slug, TemplateKey: "operational-readiness", Facilitator: fac.Email}))
	}
	item := func(title, kind, due string, reviewID int64, findingID *int64) {
		must(models.CreateActionItem(ctx, db, act, models.NewActionItem{
			ActionItemInput: models.ActionItemInput{Title: title, Priority: models.PriorityMedium, Owner: owner.Email, DueDate: due},
			SourceKind:      kind, ComponentID: &comp.ID, ReviewID: &reviewID, FindingID: findingID}))
	}
	first = newReview()
	var finding1 int64
	for i := range n {
		f := must(models.CreateFinding(ctx, db, act, first.ID, models.FindingInput{Title: fmt.Sprintf("Finding %d", i), Risk: findingRisks[i%len(findingRisks)]}))
		item(fmt.Sprintf("Item of finding %d", i), models.SourceFinding, fmt.Sprintf("2031-01-%02d", i+1), first.ID, &f.ID)
		if i == 1 {
			finding1 = f.ID
		}
		if i == 0 {
			must(models.ChangeFindingStatus(ctx, db, act, f.ID, f.Version, models.FindingStatusInput{Status: models.FindingAccepted,
				Approver: fac.Email, Rationale: "Low impact", AcceptedUntil: "2031-06-30", Today: models.DateOf(time.Now())}))
		}
	}
	// Created after the others: order by id alone would list it last.
	item("Second item of finding 1", models.SourceFinding, "2031-02-01", first.ID, &finding1)
	second = newReview()
	g := must(models.CreateFinding(ctx, db, act, second.ID, models.FindingInput{Title: "New finding", Risk: models.RiskLow}))
	item("Item of the new finding", models.SourceFinding, "2031-03-01", second.ID, &g.ID)
	item("Review item", models.SourceReview, "2031-03-02", second.ID, nil)
	return first, second
}

// readoutLines are lines the Markdown readout shows for the generated
// findings.
func readoutLines(n int, owner, approver *models.User) []string {
	out := []string{fmt.Sprintf("| Finding 0 | low | %s | 2031-06-30 | Low impact |", approver.Name)}
	for i := 1; i < n; i++ {
		switch risk := findingRisks[i%len(findingRisks)]; {
		case i == 1:
			out = append(out, fmt.Sprintf("| Finding 1 | critical | open | %s, %s | 2031-01-02, 2031-02-01 |", owner.Name, owner.Name))
		case risk == "critical" || risk == models.RiskHigh:
			out = append(out, fmt.Sprintf("| Finding %d | %s | open | %s | 2031-01-%02d |", i, risk, owner.Name, i+1))
		default:
			out = append(out, fmt.Sprintf("- Finding %d (%s, open)", i, risk))
		}
	}
	return out
}

// completeReview answers every question and signs the review off, which
// stores its snapshot.
func completeReview(t *testing.T, db *gorm.DB, fac *models.User, id int64) {
	t.Helper()
	ctx := context.Background()
	act := models.ActorOf(fac, "")
	must(models.TransitionReview(ctx, db, act, id, models.ActionStart, models.SignOff{}))
	for k, a := range must(models.ListAnswers(ctx, db, id)) {
		must(models.SaveAnswer(ctx, db, act, id, k, a.Version, models.AnswerInput{State: models.AnswerMet}))
	}
	must(models.TransitionReview(ctx, db, act, id, models.ActionSubmit, models.SignOff{}))
	must(models.TransitionReview(ctx, db, act, id, models.ActionComplete, models.SignOff{Decision: models.DecisionReady}))
}

func actionTitles(doc *goquery.Document) []string {
	var out []string
	doc.Find(apptest.TestID("action-row")).Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.TrimSpace(s.Find("td a").First().Text()))
	})
	return out
}

// TestReviewPagesQueryCountDoesNotGrowWithFindings: the review page and
// the readout (live and from the snapshot) run as many statements for 2
// findings as for 10, and still list the action items in the same order.
func TestReviewPagesQueryCountDoesNotGrowWithFindings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		c, fac := env.As(models.RoleFacilitator)
		owner := env.CreateUser(models.RoleMember, "Olga Owner")
		qc := dbtest.CountStatements(t, db)

		counts := map[int]map[string]int{}
		for _, n := range []int{2, 10} {
			first, second := reviewsWithFindings(t, db, fac, owner, n)
			completeReview(t, db, fac, first.ID)
			page := fmt.Sprintf("/reviews/%d", second.ID)
			counts[n] = map[string]int{}
			var doc *goquery.Document
			counts[n]["review page"], _ = qc.During(func() { doc = c.Get(page).Expect(t, http.StatusOK).Doc(t) })

			// Items of the review by id, then those of each tracked
			// finding (highest risk first), each once.
			want := []string{"Item of the new finding", "Review item"}
			for _, risk := range []string{"critical", models.RiskHigh, models.RiskMedium, models.RiskLow} {
				for i := range n {
					if findingRisks[i%len(findingRisks)] == risk {
						want = append(want, fmt.Sprintf("Item of finding %d", i))
						if i == 1 {
							want = append(want, "Second item of finding 1")
						}
					}
				}
			}
			if got := actionTitles(doc); strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("%d findings: review page lists %q, want %q", n, got, want)
			}

			var md string
			counts[n]["live readout"], _ = qc.During(func() { md = c.Get(page+"/readout.md").Expect(t, http.StatusOK).Body })
			for _, line := range append(readoutLines(n, owner, fac), "- New finding (low, open)") {
				if !strings.Contains(md, line) {
					t.Errorf("%d findings: live readout lacks %q:\n%s", n, line, md)
				}
			}
			counts[n]["snapshot readout"], _ = qc.During(func() {
				md = c.Get(fmt.Sprintf("/reviews/%d/readout.md", first.ID)).Expect(t, http.StatusOK).Body
			})
			for _, line := range readoutLines(n, owner, fac) {
				if !strings.Contains(md, line) {
					t.Errorf("%d findings: snapshot readout lacks %q:\n%s", n, line, md)
				}
			}
			counts[n]["readout page"], _ = qc.During(func() { c.Get(page+"/readout").Expect(t, http.StatusOK) })
		}
		t.Logf("statements with 2 findings: %v; with 10: %v", counts[2], counts[10])
		for page, n := range counts[2] {
			if counts[10][page] != n {
				t.Errorf("%s: %d statements with 2 findings, %d with 10", page, n, counts[10][page])
			}
		}
	})
}

// TestPostmortemSectionSaveLoadsTheIncidentOnce: an autosave reads the
// incidents table once (not once for the incident and again for the
// postmortem's incident).
func TestPostmortemSectionSaveLoadsTheIncidentOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		c, u := env.As(models.RoleMember)
		inc := pmIncident(t, db, u)
		pm := startPostmortem(t, env, c, inc)
		sec := pm.Section("timeline")
		qc := dbtest.CountStatements(t, db)
		var body string
		total, byTable := qc.During(func() {
			body = c.Send(http.MethodPost, sectionPath(inc, sec), "application/x-www-form-urlencoded",
				url.Values{"body": {"The alert fired at 14:06."}, "version": {"1"}}.Encode()).Expect(t, http.StatusOK).Body
		})
		t.Logf("section save: %d statements, by table %v", total, byTable)
		if n := byTable["incidents"]; n != 1 {
			t.Errorf("the save read the incidents table %d times, want 1", n)
		}
		if !strings.Contains(body, "The alert fired at 14:06.") {
			t.Errorf("save answer:\n%s", body)
		}
	})
}
