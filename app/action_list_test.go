package app_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// item creates an action item as the system.
func item(t *testing.T, db *gorm.DB, in models.ActionItemInput) *models.ActionItem {
	t.Helper()
	a, err := models.CreateActionItem(context.Background(), db, testActor, models.NewActionItem{ActionItemInput: in})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func setStatus(t *testing.T, db *gorm.DB, id int64, status, note string) {
	t.Helper()
	if _, err := models.ChangeActionStatus(context.Background(), db, testActor, id, 0, status, note); err != nil {
		t.Fatal(err)
	}
}

func day(offset int) string { return models.Today(models.SystemClock(), nil).AddDays(offset).String() }

func rowTitles(t *testing.T, r *apptest.Response) []string {
	t.Helper()
	var out []string
	r.Doc(t).Find(apptest.TestID("action-link")).Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.TrimSpace(s.Text()))
	})
	return out
}

func TestActionListFiltersSortAndExport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		env := apptest.New(t, db)
		c, me := env.As(models.RoleMember)
		other := env.CreateUser(models.RoleMember, "Olga Other")
		if _, err := models.CreateTeam(ctx, db, testActor, models.NewTeam{Name: "Storage", Slug: "storage"}); err != nil {
			t.Fatal(err)
		}
		late := item(t, db, models.ActionItemInput{Title: "Rotate the backup keys", Owner: me.Email, Team: "storage", DueDate: day(-3), Priority: "high"})
		soon := item(t, db, models.ActionItemInput{Title: "Alert on replication lag", Owner: other.Email, DueDate: day(2)})
		undated := item(t, db, models.ActionItemInput{Title: "=HYPERLINK(\"x\") in a title", Priority: "low"})
		done := item(t, db, models.ActionItemInput{Title: "Document failover", Owner: me.Email, DueDate: day(-10)})
		setStatus(t, db, done.ID, models.ActionDone, "Runbook written")

		// Default: open items first by due date, closed last.
		got := rowTitles(t, c.Get("/action-items").Expect(t, http.StatusOK))
		want := []string{late.Title, soon.Title, undated.Title, done.Title}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("default order %q, want %q", got, want)
		}
		for q, want := range map[string][]string{
			"due=overdue":                  {late.Title},
			"overdue=1&team=storage":       {late.Title},
			"owner=me":                     {late.Title, done.Title},
			"owner=none":                   {undated.Title},
			"owner=" + other.Email:         {soon.Title},
			"state=closed":                 {done.Title},
			"status=open,done":             {late.Title, soon.Title, undated.Title, done.Title},
			"priority=high":                {late.Title},
			"due=7d":                       {soon.Title},
			"due=none":                     {undated.Title},
			"q=REPLICATION":                {soon.Title},
			"source=manual&sort=-priority": {undated.Title, done.Title, soon.Title, late.Title},
			"sort=title":                   {undated.Title, soon.Title, done.Title, late.Title},
			"team=nope":                    nil,
		} {
			r := c.Get("/action-items?"+q).Expect(t, http.StatusOK)
			if got := rowTitles(t, r); strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("%s: %q, want %q", q, got, want)
			}
		}
		doc := c.Get("/action-items?team=nope").Doc(t)
		if !strings.Contains(doc.Find(apptest.TestID("filter-errors")).Text(), "No team has the slug nope") {
			t.Error("unknown team not explained")
		}
		doc = c.Get("/action-items?due=overdue&owner=me").Doc(t)
		if n := doc.Find(apptest.TestID("filter-chips") + " a.chip").Length(); n != 2 {
			t.Errorf("%d chips", n)
		}
		if s := strings.TrimSpace(doc.Find(apptest.TestID("result-count")).Text()); s != "1 action item" {
			t.Errorf("count %q", s)
		}

		// CSV of a filtered list: every matching item, formulas defused.
		r := c.Get("/action-items/export?owner=none").Expect(t, http.StatusOK)
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("headers %v", r.Header)
		}
		recs, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
		if err != nil || len(recs) != 2 {
			t.Fatalf("csv %d rows %v\n%s", len(recs), err, r.Body)
		}
		if recs[0][1] != "title" || recs[1][1] != "'"+undated.Title {
			t.Errorf("csv row %q", recs[1])
		}
		all, _ := csv.NewReader(strings.NewReader(c.Get("/action-items/export").Body)).ReadAll()
		if len(all) != 5 {
			t.Errorf("full export: %d rows", len(all))
		}
		c.Get("/action-items/export?due=sometime").Expect(t, http.StatusUnprocessableEntity)
	})
}

func TestActionListBulkChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		env := apptest.New(t, db)
		c, _ := env.As(models.RoleMember)
		viewer, _ := env.As(models.RoleViewer)
		owner := env.CreateUser(models.RoleMember, "Nia Owner")
		a := item(t, db, models.ActionItemInput{Title: "Add disk alerts", DueDate: day(-1)})
		b := item(t, db, models.ActionItemInput{Title: "Tune autovacuum", DueDate: day(-2)})
		untouched := item(t, db, models.ActionItemInput{Title: "Untouched"})

		form := url.Values{"id": {itoa(a.ID), itoa(b.ID)}, "status": {models.ActionWontDo}, "query": {"due=overdue"}}
		viewer.Form("/action-items/bulk", form).Expect(t, http.StatusForbidden)

		// Won't do without a reason: 422, the list as it was, the selection kept.
		r := c.Form("/action-items/bulk", form).Expect(t, http.StatusUnprocessableEntity)
		doc := r.Doc(t)
		if doc.Find(apptest.TestID("bulk-error-note")).Length() != 1 {
			t.Fatalf("no message on the note:\n%s", doc.Find(apptest.TestID("bulk-form")).Text())
		}
		if n := doc.Find(`input[name="id"][checked]`).Length(); n != 2 {
			t.Errorf("%d rows still selected", n)
		}
		if got := rowTitles(t, r); len(got) != 2 {
			t.Errorf("the list lost its filter: %q", got)
		}

		form.Set("note", "The managed database does this for us.")
		form.Set("owner", owner.Email)
		r = c.Form("/action-items/bulk", form).Expect(t, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != "/action-items?due=overdue" {
			t.Errorf("back to %q", loc)
		}
		for _, id := range []int64{a.ID, b.ID} {
			it, _ := models.GetActionItem(ctx, db, id)
			if it.Status != models.ActionWontDo || it.StatusReason == "" || it.OwnerID == nil || *it.OwnerID != owner.ID {
				t.Errorf("item %d: %s %q owner %v", id, it.Status, it.StatusReason, it.OwnerID)
			}
		}
		// Clear the due date, give one a new one.
		c.Form("/action-items/bulk", url.Values{"id": {itoa(a.ID)}, "clear_due": {"1"}}).Expect(t, http.StatusSeeOther)
		c.Form("/action-items/bulk", url.Values{"id": {itoa(b.ID)}, "due_date": {day(20)}, "owner": {"none"}}).Expect(t, http.StatusSeeOther)
		ga, _ := models.GetActionItem(ctx, db, a.ID)
		gb, _ := models.GetActionItem(ctx, db, b.ID)
		if ga.DueDate != nil || gb.DueDate == nil || gb.DueDate.String() != day(20) || gb.OwnerID != nil {
			t.Errorf("after: a due %v, b due %v owner %v", ga.DueDate, gb.DueDate, gb.OwnerID)
		}
		if u, _ := models.GetActionItem(ctx, db, untouched.ID); u.Version != 1 {
			t.Error("an unselected item changed")
		}
		// Nothing selected.
		r = c.Form("/action-items/bulk", url.Values{"status": {"done"}, "clear_due": {"1"}}).Expect(t, http.StatusUnprocessableEntity)
		if !strings.Contains(r.Doc(t).Find(apptest.TestID("form-errors")).Text(), "Select at least one") {
			t.Error("no message for an empty selection")
		}
		if r.Doc(t).Find(`input[name="clear_due"][checked]`).Length() != 1 {
			t.Error("the refused form forgot “Clear the due date”")
		}
	})
}

func TestActionRowInlineEdit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		env := apptest.New(t, db)
		c, me := env.As(models.RoleMember)
		a := item(t, db, models.ActionItemInput{Title: "Shorten the DNS TTL", DueDate: day(5)})
		path := "/action-items/" + itoa(a.ID) + "/row"

		doc := tableDoc(t, c.Do(http.MethodGet, path+"/edit", nil, http.Header{"HX-Request": {"true"}}).Expect(t, http.StatusOK))
		if doc.Find(apptest.TestID("row-form")).Length() != 1 || doc.Find(`select[name="status"][form="row-form-`+itoa(a.ID)+`"]`).Length() != 1 {
			t.Fatal("no inline editor")
		}
		// Won't do without a reason: the editor again, with the message and the values typed.
		r := htmx(c, path, url.Values{"version": {"1"}, "status": {"wont_do"}, "priority": {"high"}, "owner": {me.Email}, "due_date": {day(9)}}).
			Expect(t, http.StatusUnprocessableEntity)
		doc = tableDoc(t, r)
		if doc.Find(apptest.TestID("row-error")).Length() != 1 || doc.Find(`select[name="priority"] option[selected]`).AttrOr("value", "") != "high" {
			t.Fatalf("422 editor: %s", doc.Text())
		}
		if got, _ := models.GetActionItem(ctx, db, a.ID); got.Version != 1 || got.Priority != "medium" {
			t.Fatal("half of a failed inline edit was saved")
		}
		// Owner, due date and done with a note, in one save.
		r = htmx(c, path, url.Values{"version": {"1"}, "status": {"done"}, "note": {"TTL is 60 s now"}, "priority": {"high"}, "owner": {me.Email}, "due_date": {day(9)}}).
			Expect(t, http.StatusOK)
		row := tableDoc(t, r).Find(apptest.TestID("action-row"))
		if row.AttrOr("data-status", "") != "done" || !strings.Contains(row.Find(apptest.TestID("row-owner")).Text(), me.Name) {
			t.Fatalf("row after save: %s", row.Text())
		}
		got, _ := models.GetActionItem(ctx, db, a.ID)
		if got.Status != models.ActionDone || got.CompletionNote != "TTL is 60 s now" || got.DueDate.String() != day(9) || got.Priority != "high" {
			t.Fatalf("saved %+v", got)
		}
		// A stale version: 409 and the current values.
		r = htmx(c, path, url.Values{"version": {"1"}, "status": {"open"}, "priority": {"low"}}).Expect(t, http.StatusConflict)
		if !strings.Contains(r.Body, "Someone else changed this item") {
			t.Fatal("conflict not explained")
		}
		// Cancel shows the row again.
		c.Do(http.MethodGet, path, nil, http.Header{"HX-Request": {"true"}}).Expect(t, http.StatusOK)
	})
}

func TestActionComments(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		c, me := env.As(models.RoleMember)
		viewer, _ := env.As(models.RoleViewer)
		a := item(t, db, models.ActionItemInput{Title: "Add a canary"})
		path := "/action-items/" + itoa(a.ID) + "/comments"
		viewer.Form(path, url.Values{"body": {"hi"}}).Expect(t, http.StatusForbidden)
		r := htmx(c, path, url.Values{"body": {"  "}}).Expect(t, http.StatusUnprocessableEntity)
		if r.Doc(t).Find(apptest.TestID("error-body")).Length() != 1 {
			t.Fatal("empty comment not refused")
		}
		r = htmx(c, path, url.Values{"body": {"Blocked on **the vendor**."}}).Expect(t, http.StatusOK)
		if doc := r.Doc(t); doc.Find(apptest.TestID("comment")).Length() != 1 || doc.Find(".comment-body strong").Text() != "the vendor" {
			t.Fatalf("comments fragment: %s", r.Body)
		}
		c.Form(path, url.Values{"body": {"Vendor replied."}}).Expect(t, http.StatusSeeOther)
		doc := viewer.Get("/action-items/"+itoa(a.ID)).Expect(t, http.StatusOK).Doc(t)
		cs := doc.Find(apptest.TestID("comment"))
		if cs.Length() != 2 || !strings.Contains(cs.First().Text(), me.Name) {
			t.Fatalf("page comments: %s", cs.Text())
		}
		if doc.Find(apptest.TestID("comment-form")).Length() != 0 {
			t.Error("a viewer sees the comment form")
		}
		if n := strings.Count(c.Get("/action-items").Body, "2 comments"); n != 1 {
			t.Errorf("list shows the comment count %d times", n)
		}
	})
}

func TestMyWork(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		c, me := env.As(models.RoleMember)
		other := env.CreateUser(models.RoleMember, "Ola Other")
		overdue := item(t, db, models.ActionItemInput{Title: "Overdue thing", Owner: me.Email, DueDate: day(-1)})
		item(t, db, models.ActionItemInput{Title: "This week", Owner: me.Email, DueDate: day(3)})
		item(t, db, models.ActionItemInput{Title: "Later thing", Owner: me.Email, DueDate: day(40)})
		item(t, db, models.ActionItemInput{Title: "Someday", Owner: me.Email})
		item(t, db, models.ActionItemInput{Title: "Not mine", Owner: other.Email, DueDate: day(-5)})
		// Asked of someone else.
		if _, err := models.CreateActionItem(context.Background(), db, models.ActorOf(me, ""), models.NewActionItem{
			ActionItemInput: models.ActionItemInput{Title: "Olga's job", Owner: other.Email}}); err != nil {
			t.Fatal(err)
		}
		doc := c.Get("/me").Expect(t, http.StatusOK).Doc(t)
		for sec, want := range map[string]string{"overdue": "Overdue thing", "week": "This week", "later": "Later thing", "undated": "Someday"} {
			s := doc.Find(apptest.TestID("section-" + sec))
			if s.Find(apptest.TestID("work-item")).Length() != 1 || !strings.Contains(s.Text(), want) {
				t.Errorf("section %s: %s", sec, s.Text())
			}
		}
		if strings.Contains(doc.Find("main").Text(), "Not mine") {
			t.Error("someone else's item on my page")
		}
		if !strings.Contains(doc.Find(apptest.TestID("created-list")).Text(), "Olga's job") {
			t.Error("item I asked of others missing")
		}
		if v := strings.TrimSpace(doc.Find(apptest.TestID("mine-overdue") + " .value").Text()); v != "1" {
			t.Errorf("overdue count %q", v)
		}
		// Mark done from My work, with a note; back to My work.
		r := c.Form("/action-items/"+itoa(overdue.ID)+"/status", url.Values{"status": {"done"}, "version": {"1"}, "note": {"Fixed"}, "next": {"/me"}}).
			Expect(t, http.StatusSeeOther)
		if r.Header.Get("Location") != "/me" {
			t.Errorf("back to %q", r.Header.Get("Location"))
		}
		doc = c.Get("/me").Doc(t)
		if doc.Find(apptest.TestID("section-overdue")).Length() != 0 || !strings.Contains(doc.Find(apptest.TestID("closed-list")).Text(), "Overdue thing") {
			t.Error("done item still overdue")
		}
	})
}

// tableDoc parses a fragment of table rows (the HTML parser drops a <tr>
// outside a table).
func tableDoc(t *testing.T, r *apptest.Response) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader("<table><tbody>" + r.Body + "</tbody></table>"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}
