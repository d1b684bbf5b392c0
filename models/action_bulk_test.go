package models_test

import (
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func mkItem(t *testing.T, db *gorm.DB, act models.Actor, in models.ActionItemInput) *models.ActionItem {
	t.Helper()
	return must(models.CreateActionItem(ctx, db, act, models.NewActionItem{ActionItemInput: in}))
}

func TestBulkChangeIsAllOrNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		owner := mkUser(t, db, models.RoleMember)
		other := mkUser(t, db, models.RoleMember)
		act := actorOf(owner)
		a := mkItem(t, db, act, models.ActionItemInput{Title: "Add a restore drill", Owner: owner.Email, DueDate: "2030-01-10"})
		b := mkItem(t, db, act, models.ActionItemInput{Title: "Page on disk pressure", Owner: owner.Email})
		c := mkItem(t, db, act, models.ActionItemInput{Title: "Document the failover", Owner: other.Email, DueDate: "2030-02-01"})

		// Validation: nothing chosen, won't do without a reason, bad owner and date.
		_, err := models.BulkChangeActionItems(ctx, db, act, models.BulkChange{IDs: []int64{a.ID}})
		if ve, ok := models.AsValidation(err); !ok || len(ve.Global) == 0 {
			t.Fatalf("empty change: %v", err)
		}
		_, err = models.BulkChangeActionItems(ctx, db, act, models.BulkChange{IDs: []int64{a.ID}, Status: models.ActionWontDo})
		wantField(t, err, "note")
		bad, when := "nobody@example.com", "next week"
		_, err = models.BulkChangeActionItems(ctx, db, act, models.BulkChange{IDs: []int64{a.ID}, Owner: &bad, DueDate: &when})
		wantField(t, err, "owner")
		wantField(t, err, "due_date")

		// An unknown id rolls the whole change back.
		_, err = models.BulkChangeActionItems(ctx, db, act, models.BulkChange{IDs: []int64{a.ID, 999999}, Status: models.ActionDone})
		if !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("unknown id: %v", err)
		}
		if got := must(models.GetActionItem(ctx, db, a.ID)); got.Status != models.ActionOpen {
			t.Fatalf("partial change kept: %s", got.Status)
		}

		// Owner and due date for two items; c has both already.
		due := "2030-02-01"
		res := must(models.BulkChangeActionItems(ctx, db, act, models.BulkChange{IDs: []int64{b.ID, c.ID, c.ID}, Owner: &other.Email, DueDate: &due}))
		if res.Changed != 1 || res.Unchanged != 1 {
			t.Fatalf("result %+v", res)
		}
		gb := must(models.GetActionItem(ctx, db, b.ID))
		if gb.OwnerID == nil || *gb.OwnerID != other.ID || gb.DueDate == nil || gb.DueDate.String() != due || gb.Version != 2 {
			t.Fatalf("b after bulk: %+v", gb)
		}
		// Clearing the due date.
		empty := ""
		must(models.BulkChangeActionItems(ctx, db, act, models.BulkChange{IDs: []int64{b.ID}, DueDate: &empty}))
		if gb := must(models.GetActionItem(ctx, db, b.ID)); gb.DueDate != nil {
			t.Fatalf("due date not cleared: %v", gb.DueDate)
		}

		// Won't do with a reason: history and audit per item, closed_on set in the instance's zone.
		zctx := models.WithZone(ctx, time.FixedZone("UTC+14", 14*3600))
		res = must(models.BulkChangeActionItems(zctx, db, act, models.BulkChange{IDs: []int64{a.ID, b.ID}, Status: models.ActionWontDo, Note: "Replaced by the managed service."}))
		if res.Changed != 2 {
			t.Fatalf("won't do: %+v", res)
		}
		for _, id := range []int64{a.ID, b.ID} {
			it := must(models.GetActionItem(ctx, db, id))
			if it.Status != models.ActionWontDo || it.StatusReason != "Replaced by the managed service." || it.ClosedAt == nil || it.ClosedOn == nil {
				t.Fatalf("item %d: %+v", id, it)
			}
			if want := models.Today(time.Now(), time.FixedZone("", 14*3600)); *it.ClosedOn != want {
				t.Errorf("closed on %s, want %s (the instance's zone)", it.ClosedOn, want)
			}
			hist := must(models.ActionItemHistory(ctx, db, id))
			if last := hist[len(hist)-1]; last.ToStatus != models.ActionWontDo || last.Note != "Replaced by the managed service." {
				t.Fatalf("history %+v", last)
			}
		}
		// Again: already won't do, nothing changes.
		res = must(models.BulkChangeActionItems(ctx, db, act, models.BulkChange{IDs: []int64{a.ID}, Status: models.ActionWontDo, Note: "x"}))
		if res.Changed != 0 || res.Unchanged != 1 {
			t.Fatalf("repeat: %+v", res)
		}
		// Reopening clears closed_at and closed_on.
		must(models.BulkChangeActionItems(ctx, db, act, models.BulkChange{IDs: []int64{a.ID}, Status: models.ActionOpen}))
		if it := must(models.GetActionItem(ctx, db, a.ID)); it.ClosedAt != nil || it.ClosedOn != nil {
			t.Fatalf("reopened but closed: %+v", it)
		}
		entries := must(models.ListAudit(ctx, db, models.AuditFilter{ObjectType: "action_item"}))
		if len(entries) != 3+1+1+2+1 {
			t.Fatalf("only %d audit entries", len(entries))
		}
	})
}

func TestCommentsGrowOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		u := mkUser(t, db, models.RoleMember)
		a := mkItem(t, db, actorOf(u), models.ActionItemInput{Title: "Tune the alert"})
		_, err := models.AddActionComment(ctx, db, actorOf(u), a.ID, "   ")
		wantField(t, err, "body")
		if _, err := models.AddActionComment(ctx, db, actorOf(u), 424242, "hello"); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("comment on a missing item: %v", err)
		}
		must(models.AddActionComment(ctx, db, actorOf(u), a.ID, "Waiting for the **vendor**."))
		must(models.AddActionComment(ctx, db, actorOf(u), a.ID, "Vendor answered."))
		cs := must(models.ActionComments(ctx, db, a.ID))
		if len(cs) != 2 || cs[0].Body != "Waiting for the **vendor**." || cs[0].AuthorName != u.Name {
			t.Fatalf("comments %+v", cs)
		}
		counts := must(models.ActionCommentCounts(ctx, db, []int64{a.ID}))
		if counts[a.ID] != 2 {
			t.Fatalf("counts %v", counts)
		}
	})
}

func TestReminderMoments(t *testing.T) {
	s := models.ReminderSettings{DaysBefore: 3, Hour: 9}
	due := must(models.ParseDate("2030-03-10"))
	for _, c := range []struct {
		today string
		want  string
	}{
		{"2030-03-06", ""}, {"2030-03-07", models.ReminderBefore}, {"2030-03-09", models.ReminderBefore},
		{"2030-03-10", models.ReminderDue}, {"2030-03-11", models.ReminderOverdue}, {"2030-03-17", models.ReminderOverdue},
		{"2030-03-18", ""},
	} {
		if got := s.ReminderMoment(due, must(models.ParseDate(c.today))); got != c.want {
			t.Errorf("%s: %q, want %q", c.today, got, c.want)
		}
	}
	if got := (models.ReminderSettings{DaysBefore: 0}).ReminderMoment(due, due.AddDays(-1)); got != "" {
		t.Errorf("no reminder before with 0 days: %q", got)
	}
	// Before 9 o'clock it is still yesterday's turn, in the owner's zone.
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	at := time.Date(2030, 3, 10, 8, 59, 0, 0, tokyo)
	if d := s.ReminderDay(at, tokyo); d.String() != "2030-03-09" {
		t.Errorf("08:59 Tokyo: %s", d)
	}
	if d := s.ReminderDay(at.Add(time.Minute), tokyo); d.String() != "2030-03-10" {
		t.Errorf("09:00 Tokyo: %s", d)
	}
}

func TestReminderSettings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := must(models.GetReminderSettings(ctx, db))
		if s.DaysBefore != models.DefaultReminderDays || s.Hour != models.DefaultReminderHour {
			t.Fatalf("defaults %+v", s)
		}
		err := models.SaveReminderSettings(ctx, db, models.SystemActor("test"), models.ReminderSettings{DaysBefore: 31, Hour: 24})
		wantField(t, err, "days_before")
		wantField(t, err, "hour")
		if err := models.SaveReminderSettings(ctx, db, models.SystemActor("test"), models.ReminderSettings{DaysBefore: 5, Hour: 7}); err != nil {
			t.Fatal(err)
		}
		if s := must(models.GetReminderSettings(ctx, db)); s.DaysBefore != 5 || s.Hour != 7 {
			t.Fatalf("stored %+v", s)
		}
	})
}

func TestActionQuerySortsAndFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		u := mkUser(t, db, models.RoleMember)
		v := mkUser(t, db, models.RoleMember)
		team := mkTeam(t, db, "storage")
		act := actorOf(u)
		mkItem(t, db, act, models.ActionItemInput{Title: "beta 50% rollout", Priority: "low", DueDate: "2030-01-03", Owner: v.Email})
		mkItem(t, db, act, models.ActionItemInput{Title: "Alpha", Priority: "high", DueDate: "2030-01-05", Team: "storage"})
		mkItem(t, db, act, models.ActionItemInput{Title: "gamma", Priority: "medium"})
		titles := func(q models.ActionQuery) []string {
			var out []string
			for _, a := range must(models.FindActionItems(ctx, db, q)) {
				out = append(out, a.Title)
			}
			return out
		}
		for sort, want := range map[string]string{
			"":          "[beta 50% rollout Alpha gamma]",
			"-due":      "[Alpha beta 50% rollout gamma]",
			"priority":  "[Alpha gamma beta 50% rollout]",
			"-priority": "[beta 50% rollout gamma Alpha]",
			"title":     "[Alpha beta 50% rollout gamma]",
			"owner":     "[beta 50% rollout Alpha gamma]",
			"team":      "[Alpha beta 50% rollout gamma]",
		} {
			if got := titles(models.ActionQuery{Sort: sort}); fmtS(got) != want {
				t.Errorf("sort %q: %v, want %s", sort, got, want)
			}
		}
		if got := titles(models.ActionQuery{Text: "50%"}); fmtS(got) != "[beta 50% rollout]" {
			t.Errorf("text with %%: %v", got)
		}
		if got := titles(models.ActionQuery{NoDueDate: true}); fmtS(got) != "[gamma]" {
			t.Errorf("no due: %v", got)
		}
		if got := titles(models.ActionQuery{NoOwner: true, NoTeam: true}); fmtS(got) != "[gamma]" {
			t.Errorf("nobody's: %v", got)
		}
		q := models.ActionQuery{}
		q.TeamID = team.ID
		if got := titles(q); fmtS(got) != "[Alpha]" {
			t.Errorf("team: %v", got)
		}
		q = models.ActionQuery{CreatorID: u.ID, Sort: "title"}
		q.Limit, q.Offset = 1, 1
		if got := titles(q); fmtS(got) != "[beta 50% rollout]" {
			t.Errorf("page 2: %v", got)
		}
		n := 0
		if err := models.EachActionItem(ctx, db, models.ActionQuery{}, func(*models.ActionItem) error { n++; return nil }); err != nil || n != 3 {
			t.Fatalf("each: %d %v", n, err)
		}
	})
}

func fmtS(s []string) string {
	out := "["
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out + "]"
}

// TestBulkChangeWithAStaleVersionChangesNothing: when one item changed
// after the person saw it, the whole bulk change fails with a
// ConflictError holding that item as it is, and no item changes.
func TestBulkChangeWithAStaleVersionChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		u := mkUser(t, db, models.RoleMember)
		act := actorOf(u)
		a := mkItem(t, db, act, models.ActionItemInput{Title: "Add a restore drill"})
		b := mkItem(t, db, act, models.ActionItemInput{Title: "Page on disk pressure"})
		// Someone edits b after the list was shown.
		must(models.UpdateActionItem(ctx, db, act, b.ID, b.Version, models.ActionItemInput{Title: b.Title, Priority: models.PriorityHigh}))
		due := "2030-03-01"
		_, err := models.BulkChangeActionItems(ctx, db, act, models.BulkChange{
			IDs: []int64{a.ID, b.ID}, Status: models.ActionDone, DueDate: &due, Versions: map[int64]int{a.ID: a.Version, b.ID: b.Version},
		})
		var ce *models.ConflictError
		if !errors.As(err, &ce) {
			t.Fatalf("stale bulk change: %v", err)
		}
		if cur, ok := ce.Current.(*models.ActionItem); !ok || cur.ID != b.ID || cur.Version != b.Version+1 {
			t.Fatalf("conflict current %+v", ce.Current)
		}
		for _, id := range []int64{a.ID, b.ID} {
			if it := must(models.GetActionItem(ctx, db, id)); it.Status != models.ActionOpen || it.DueDate != nil {
				t.Fatalf("item %d changed by a refused bulk change: %+v", id, it)
			}
			if h := must(models.ActionItemHistory(ctx, db, id)); len(h) != 1 {
				t.Fatalf("item %d has %d history entries", id, len(h))
			}
		}
		// With the versions as they are, it goes through.
		res := must(models.BulkChangeActionItems(ctx, db, act, models.BulkChange{
			IDs: []int64{a.ID, b.ID}, Status: models.ActionDone, Versions: map[int64]int{a.ID: a.Version, b.ID: b.Version + 1},
		}))
		if res.Changed != 2 {
			t.Fatalf("result %+v", res)
		}
	})
}
