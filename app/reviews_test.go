package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func answerBody(version, state, reason, notes string) string {
	return url.Values{"version": {version}, "state": {state}, "reason": {reason}, "notes": {notes}}.Encode()
}

func TestReviewJourneyThroughTheRouter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		ctx := context.Background()
		fc, fac := env.As(models.RoleFacilitator)
		mc, mem := env.As(models.RoleMember)
		vc, _ := env.As(models.RoleViewer)
		if _, err := models.CreateComponent(ctx, db, models.SystemActor("test"), models.ComponentInput{Name: "Postgres fleet", Tier: 1}); err != nil {
			t.Fatal(err)
		}
		// The form offers the built-in templates.
		doc := fc.Get("/reviews/new?component=postgres-fleet").Expect(t, http.StatusOK).Doc(t)
		if doc.Find(`select[name="template"] option`).Length() != 2 {
			t.Fatal("templates not offered")
		}
		r := fc.Form("/reviews", url.Values{"component": {"postgres-fleet"}, "template": {"operational-readiness"}, "facilitator": {mem.Email}})
		r.Expect(t, http.StatusUnprocessableEntity)
		if r.Doc(t).Find(apptest.TestID("error-facilitator")).Length() != 1 {
			t.Fatal("a member was accepted as facilitator")
		}
		r = fc.Form("/reviews", url.Values{"component": {"postgres-fleet"}, "template": {"operational-readiness"}, "facilitator": {fac.Email}, "participants": {mem.Email}})
		r.Expect(t, http.StatusSeeOther)
		review := r.Header.Get("Location")
		page := mc.Get(review).Expect(t, http.StatusOK).Doc(t)
		if page.Find(apptest.TestID("question")).Length() != 36 || page.Find(apptest.TestID("formula")).Length() != 1 {
			t.Fatal("checklist")
		}
		ver := func(c *apptest.Client, key string) string {
			v, _ := c.Get(review).Doc(t).Find(`#ver-` + key).Attr("value")
			return v
		}
		// Autosave (htmx): out-of-band version, progress and score.
		res := mc.Send(http.MethodPost, review+"/answers/owner-team", "application/x-www-form-urlencoded", answerBody(ver(mc, "owner-team"), "met", "", "Team **Databases**"))
		res.Expect(t, http.StatusOK)
		if !strings.Contains(res.Body, `id="ver-owner-team" value="2" hx-swap-oob="true"`) || !strings.Contains(res.Body, `id="score-card"`) {
			t.Fatalf("autosave response:\n%s", res.Body)
		}
		// N/A without a reason: 422 into the error box, nothing stored.
		res = mc.Send(http.MethodPost, review+"/answers/dependency-tracing", "application/x-www-form-urlencoded", answerBody("1", "not_applicable", "", ""))
		res.Expect(t, http.StatusUnprocessableEntity)
		if res.Header.Get("HX-Retarget") != "#err-dependency-tracing" || !strings.Contains(res.Body, "needs a reason") {
			t.Fatalf("N/A without reason: %s %s", res.Header.Get("HX-Retarget"), res.Body)
		}
		mc.Send(http.MethodPost, review+"/answers/dependency-tracing", "application/x-www-form-urlencoded", answerBody("1", "not_applicable", "No remote calls", "")).Expect(t, http.StatusOK)
		// Two people, same answer: the second gets a conflict with both values.
		mc.Send(http.MethodPost, review+"/answers/restore-tested", "application/x-www-form-urlencoded", answerBody("1", "not_met", "", "Never restored")).Expect(t, http.StatusOK)
		res = fc.Send(http.MethodPost, review+"/answers/restore-tested", "application/x-www-form-urlencoded", answerBody("1", "met", "", "Restored last week"))
		res.Expect(t, http.StatusConflict)
		cdoc := res.Doc(t)
		if res.Header.Get("HX-Retarget") != "#conflict-restore-tested" || !strings.Contains(cdoc.Text(), "Restored last week") || !strings.Contains(cdoc.Text(), "Never restored") {
			t.Fatalf("conflict view:\n%s", res.Body)
		}
		if a, _ := models.GetAnswer(ctx, db, mustID(t, review), "restore-tested"); a.Notes != "Never restored" {
			t.Fatal("the conflicting save overwrote the first")
		}
		// Without JavaScript the conflict comes as the whole page, typed text kept.
		res = fc.Form(review+"/answers/restore-tested", url.Values{"version": {"1"}, "state": {"met"}, "notes": {"Restored last week"}})
		res.Expect(t, http.StatusConflict)
		if res.Doc(t).Find(apptest.TestID("conflict")).Length() != 1 {
			t.Fatal("no conflict view on the page")
		}
		// Viewers read but do not answer.
		vc.Get(review).Expect(t, http.StatusOK)
		vc.Send(http.MethodPost, review+"/answers/owner-team", "application/x-www-form-urlencoded", answerBody("2", "not_met", "", "")).Expect(t, http.StatusForbidden)

		// A finding from the unmet answer, prefilled; then an action item from it.
		doc = mc.Get(review+"/findings/new?question=restore-tested").Expect(t, http.StatusOK).Doc(t)
		if v, _ := doc.Find(`input[name="title"]`).Attr("value"); !strings.Contains(v, "restore") {
			t.Fatalf("finding not prefilled: %q", v)
		}
		r = mc.Form(review+"/findings", url.Values{"title": {"Restores never tested"}, "risk": {"critical"}, "question_key": {"restore-tested"}})
		r.Expect(t, http.StatusSeeOther)
		finding := r.Header.Get("Location")
		fdoc := mc.Get(finding).Expect(t, http.StatusOK).Doc(t)
		fid := strings.TrimPrefix(finding, "/findings/")
		// A link to a finding that does not exist, or to another review's, is broken.
		mc.Get("/action-items/new?finding=999999").Expect(t, http.StatusNotFound)
		mc.Get("/action-items/new?finding=x").Expect(t, http.StatusNotFound)
		mc.Form("/action-items", url.Values{"finding": {fid}, "review": {"999999"}, "title": {"x"}}).Expect(t, http.StatusNotFound)
		if doc := mc.Get("/action-items/new?finding="+fid).Expect(t, http.StatusOK).Doc(t); !strings.Contains(doc.Find("main").Text(), "For the finding “Restores never tested”") {
			t.Fatal("the form does not say which finding the item is for")
		}
		// A refused action item keeps where to return to.
		r = mc.Form("/action-items", url.Values{"finding": {fid}, "next": {finding}, "title": {""}, "priority": {"high"}}).Expect(t, http.StatusUnprocessableEntity)
		if v := r.Doc(t).Find(`form[data-testid="action-form"] input[name="next"]`).AttrOr("value", ""); v != finding {
			t.Fatalf("the refused form lost next: %q", v)
		}
		r = mc.Form("/action-items", url.Values{"finding": {fid}, "next": {finding}, "title": {"Run a restore drill"}, "priority": {"high"}, "owner": {mem.Email}, "due_date": {"2031-01-31"}})
		r.Expect(t, http.StatusSeeOther)
		if r.Header.Get("Location") != finding {
			t.Fatalf("after creating the action item: %s", r.Header.Get("Location"))
		}
		_ = fdoc
		items, _ := models.ListActionItems(ctx, db, models.ActionItemFilter{})
		if len(items) != 1 || items[0].SourceKind != models.SourceFinding || items[0].FindingID == nil || items[0].ReviewID == nil || items[0].ComponentID == nil {
			t.Fatalf("action item %+v", items)
		}
		page = mc.Get(review).Doc(t)
		if page.Find(apptest.TestID("finding-row")).Length() != 1 || page.Find(apptest.TestID("action-row")).Length() != 1 {
			t.Fatal("review page does not list its finding and action item")
		}
		// The item's page links back to its review and finding by title.
		item := mc.Get("/action-items/"+itoa(items[0].ID)).Expect(t, http.StatusOK).Doc(t)
		if item.Find(`a[href="`+review+`"]`).Text() == "" || item.Find(`a[href="`+finding+`"]`).Text() != "Restores never tested" {
			t.Fatal("the action item does not name its review and finding")
		}
		// Accept the risk: needs approver, rationale and expiry.
		r = mc.Form(finding+"/status", url.Values{"status": {"accepted"}})
		r.Expect(t, http.StatusUnprocessableEntity)
		for _, f := range []string{"approver", "rationale", "accepted_until"} {
			if r.Doc(t).Find(apptest.TestID("error-"+f)).Length() != 1 {
				t.Errorf("no message at %s", f)
			}
		}

		// Submitting with open questions is refused with a message.
		mc.Form(review+"/transition", url.Values{"action": {"submit"}}).Expect(t, http.StatusSeeOther)
		if !strings.Contains(mc.Get(review).Body, "still unanswered") {
			t.Fatal("no message about unanswered questions")
		}
		// Answer the rest directly, then submit and sign off.
		id := mustID(t, review)
		answers, _ := models.ListAnswers(ctx, db, id)
		for k, a := range answers {
			if a.State == "" {
				if _, err := models.SaveAnswer(ctx, db, models.ActorOf(mem, ""), id, k, a.Version, models.AnswerInput{State: models.AnswerMet}); err != nil {
					t.Fatal(err)
				}
			}
		}
		mc.Form(review+"/transition", url.Values{"action": {"submit"}}).Expect(t, http.StatusSeeOther)
		mc.Get(review+"/signoff").Expect(t, http.StatusForbidden)
		fc.Get(review+"/signoff").Expect(t, http.StatusOK)
		r = fc.Form(review+"/signoff", url.Values{"decision": {"not_ready"}})
		r.Expect(t, http.StatusUnprocessableEntity)
		fc.Form(review+"/signoff", url.Values{"decision": {"ready_with_conditions"}, "decision_notes": {"Run the restore drill first."}}).Expect(t, http.StatusSeeOther)
		page = mc.Get(review).Doc(t)
		if page.Find(apptest.TestID("review-status")).Text() != "Completed" || page.Find(apptest.TestID("answer-form")).Length() != 0 {
			t.Fatal("completed review is not read-only")
		}
		// A finding posted to it anyway (a stale tab) is refused with the
		// reason, and the text stays in the form.
		r = mc.Form(review+"/findings", url.Values{"title": {"Stale tab finding"}, "risk": {"low"}}).Expect(t, http.StatusConflict)
		if d := r.Doc(t); d.Find("#f-title").AttrOr("value", "") != "Stale tab finding" || d.Find(apptest.TestID("form-errors")).Length() != 1 {
			t.Fatalf("a refused finding lost its text or reason:\n%s", r.Body)
		}
		// The readout, as Markdown and print page.
		md := mc.Get(review+"/readout.md").Expect(t, http.StatusOK)
		for _, want := range []string{"# Readout:", "**Ready with conditions**", "Run the restore drill first.", "| Restores never tested | critical | open | " + mem.Name + " | 2031-01-31 |", "## Next review", "Due "} {
			if !strings.Contains(md.Body, want) {
				t.Errorf("readout lacks %q:\n%s", want, md.Body)
			}
		}
		mc.Get(review+"/readout").Expect(t, http.StatusOK)
		// A second review carries the finding over; compare shows the change.
		r = fc.Form("/reviews", url.Values{"component": {"postgres-fleet"}, "template": {"operational-readiness"}, "facilitator": {fac.Email}})
		second := r.Expect(t, http.StatusSeeOther).Header.Get("Location")
		mc.Send(http.MethodPost, second+"/answers/owner-team", "application/x-www-form-urlencoded", answerBody("1", "not_met", "", "")).Expect(t, http.StatusOK)
		cmp := mc.Get("/components/postgres-fleet/compare").Expect(t, http.StatusOK).Doc(t)
		if cmp.Find(`[data-testid="diff-row"][data-key="owner-team"][data-change="regressed"]`).Length() != 1 {
			t.Fatal("compare does not show the regression")
		}
		if cmp.Find(apptest.TestID("carried-findings")).Find("li").Length() != 1 {
			t.Fatal("compare does not show the carried-over finding")
		}
		comp := mc.Get("/components/postgres-fleet").Expect(t, http.StatusOK).Doc(t)
		if comp.Find(apptest.TestID("review-row")).Length() != 2 || comp.Find(apptest.TestID("finding-row")).Length() != 1 {
			t.Fatal("component page lists reviews and open findings")
		}
		mc.Get("/reviews").Expect(t, http.StatusOK)
	})
}

func mustID(t *testing.T, path string) int64 {
	t.Helper()
	var id int64
	for _, ch := range path[strings.LastIndex(path, "/")+1:] {
		id = id*10 + int64(ch-'0')
	}
	return id
}
