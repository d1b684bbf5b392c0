package models_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func TestDateRoundTrips(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		owner := mkUser(t, db, models.RoleMember)
		a := must(models.CreateActionItem(ctx, db, actorOf(owner), models.NewActionItem{ActionItemInput: models.ActionItemInput{
			Title: "Rotate the TLS certificates", Owner: owner.Email, DueDate: "2031-02-28",
		}}))
		if a.DueDate == nil || a.DueDate.String() != "2031-02-28" {
			t.Fatalf("due date %v", a.DueDate)
		}
		d := must(models.ParseDate("2031-03-01"))
		items := must(models.ListActionItems(ctx, db, models.ActionItemFilter{DueTo: &d}))
		if len(items) != 1 {
			t.Fatalf("due window: %d items", len(items))
		}
		b, _ := json.Marshal(struct {
			D  models.Date  `json:"d"`
			DP *models.Date `json:"dp"`
		}{D: d})
		if string(b) != `{"d":"2031-03-01","dp":null}` {
			t.Fatalf("json %s", b)
		}
		var back struct{ D models.Date }
		if err := json.Unmarshal([]byte(`{"D":"2024-02-29"}`), &back); err != nil || back.D.String() != "2024-02-29" {
			t.Fatalf("unmarshal %v %v", back, err)
		}
		if err := json.Unmarshal([]byte(`{"D":"29.02.2024"}`), &back); err == nil {
			t.Fatal("accepted a bad date")
		}
	})
}

func TestActionItemLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		owner := mkUser(t, db, models.RoleMember)
		other := mkUser(t, db, models.RoleMember)
		team := mkTeam(t, db, "platform-sre")
		comp := mkComponent(t, db, "Edge router", 1)
		act := actorOf(owner)

		_, err := models.CreateActionItem(ctx, db, act, models.NewActionItem{ActionItemInput: models.ActionItemInput{
			Title: "", Priority: "urgent", Owner: "nobody@example.com", Team: "nope", DueDate: "tomorrow", ExternalURL: "ftp://x",
		}})
		for _, f := range []string{"title", "priority", "owner", "team", "due_date", "external_url"} {
			wantField(t, err, f)
		}

		a := must(models.CreateActionItem(ctx, db, act, models.NewActionItem{
			ActionItemInput: models.ActionItemInput{Title: "Add a failover runbook", Description: "Steps **with** commands",
				Priority: "high", Owner: owner.Email, Team: team.Slug, DueDate: "2030-01-15", ExternalURL: "https://tracker.example.com/OPS-1"},
			SourceKind: models.SourceManual, ComponentID: &comp.ID,
		}))
		if a.Status != models.ActionOpen || a.Version != 1 || a.OwnerEmail() != owner.Email || a.TeamSlug() != "platform-sre" || a.ClosedAt != nil {
			t.Fatalf("created %+v", a)
		}

		// Stale version: conflict with the fresh item, nothing overwritten.
		a2 := must(models.UpdateActionItem(ctx, db, actorOf(other), a.ID, 1, models.ActionItemInput{Title: "Add a failover runbook v2", Owner: other.Email, Priority: "low"}))
		if a2.Version != 2 || a2.OwnerEmail() != other.Email || a2.TeamSlug() != "" || a2.DueDate != nil {
			t.Fatalf("updated %+v", a2)
		}
		_, err = models.UpdateActionItem(ctx, db, act, a.ID, 1, models.ActionItemInput{Title: "Mine"})
		var ce *models.ConflictError
		if !errors.As(err, &ce) || ce.Current.(*models.ActionItem).Title != "Add a failover runbook v2" {
			t.Fatalf("want conflict with current, got %v", err)
		}

		// won't do needs a reason.
		_, err = models.ChangeActionStatus(ctx, db, act, a.ID, 0, models.ActionWontDo, "  ")
		wantField(t, err, "status_reason")
		_, err = models.ChangeActionStatus(ctx, db, act, a.ID, 0, "finished", "")
		wantField(t, err, "status")

		b := must(models.ChangeActionStatus(ctx, db, act, a.ID, 0, models.ActionInProgress, ""))
		if b.ClosedAt != nil {
			t.Fatal("in progress is not closed")
		}
		_, err = models.ChangeActionStatus(ctx, db, act, a.ID, 0, models.ActionInProgress, "")
		if !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("same status: %v", err)
		}
		_, err = models.ChangeActionStatus(ctx, db, act, a.ID, 2, models.ActionDone, "")
		if !errors.As(err, &ce) {
			t.Fatalf("stale status change: %v", err)
		}
		c := must(models.ChangeActionStatus(ctx, db, act, a.ID, b.Version, models.ActionDone, "Runbook merged"))
		if c.ClosedAt == nil || c.CompletionNote != "Runbook merged" {
			t.Fatalf("done: %+v", c)
		}
		d := must(models.ChangeActionStatus(ctx, db, act, a.ID, 0, models.ActionOpen, "found a gap"))
		if d.ClosedAt != nil {
			t.Fatal("reopen keeps closed_at")
		}
		e := must(models.ChangeActionStatus(ctx, db, act, a.ID, 0, models.ActionWontDo, "Component retired"))
		if e.StatusReason != "Component retired" || e.ClosedAt == nil {
			t.Fatalf("won't do: %+v", e)
		}
		hist := must(models.ActionItemHistory(ctx, db, a.ID))
		var path []string
		for _, h := range hist {
			path = append(path, h.FromStatus+">"+h.ToStatus)
		}
		want := []string{">open", "open>in_progress", "in_progress>done", "done>open", "open>wont_do"}
		if len(path) != len(want) {
			t.Fatalf("history %v", path)
		}
		for i := range want {
			if path[i] != want[i] {
				t.Fatalf("history %v, want %v", path, want)
			}
		}
		if hist[len(hist)-1].Note != "Component retired" || hist[1].ActorName != owner.Name {
			t.Fatalf("history entry %+v", hist[len(hist)-1])
		}
		// The history is append-only in the database itself.
		if err := db.Exec("UPDATE action_item_events SET note = 'x'").Error; err == nil {
			t.Fatal("history rows can be rewritten")
		}
		// Every change is in the audit trail.
		entries := must(models.ListAudit(ctx, db, models.AuditFilter{ObjectType: "action_item"}))
		if len(entries) != 6 {
			t.Fatalf("%d audit entries", len(entries))
		}
	})
}

func TestActionItemFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		u1 := mkUser(t, db, models.RoleMember)
		u2 := mkUser(t, db, models.RoleMember)
		team := mkTeam(t, db, "databases")
		comp := mkComponent(t, db, "Postgres fleet", 1)
		act := actorOf(u1)
		mk := func(title, owner, teamSlug, due, prio string, compID *int64) *models.ActionItem {
			return must(models.CreateActionItem(ctx, db, act, models.NewActionItem{
				ActionItemInput: models.ActionItemInput{Title: title, Owner: owner, Team: teamSlug, DueDate: due, Priority: prio},
				ComponentID:     compID,
			}))
		}
		a := mk("A", u1.Email, team.Slug, "2030-01-01", "high", &comp.ID)
		b := mk("B", u2.Email, "", "2030-02-01", "low", nil)
		c := mk("C", u1.Email, "", "", "medium", &comp.ID)
		must(models.ChangeActionStatus(ctx, db, act, c.ID, 0, models.ActionDone, ""))
		today := must(models.ParseDate("2030-01-20"))
		from := must(models.ParseDate("2030-01-15"))
		ids := func(f models.ActionItemFilter) []int64 {
			items := must(models.ListActionItems(ctx, db, f))
			var out []int64
			for _, i := range items {
				out = append(out, i.ID)
			}
			return out
		}
		cases := []struct {
			name string
			f    models.ActionItemFilter
			want []int64
		}{
			{"owner", models.ActionItemFilter{OwnerID: u1.ID}, []int64{a.ID, c.ID}},
			{"team", models.ActionItemFilter{TeamID: team.ID}, []int64{a.ID}},
			{"status", models.ActionItemFilter{Statuses: []string{models.ActionDone}}, []int64{c.ID}},
			{"open", models.ActionItemFilter{OpenOnly: true}, []int64{a.ID, b.ID}},
			{"priority", models.ActionItemFilter{Priorities: []string{"low", "medium"}}, []int64{b.ID, c.ID}},
			{"due window", models.ActionItemFilter{DueFrom: &from}, []int64{b.ID}},
			{"overdue", models.ActionItemFilter{Overdue: true, Today: today}, []int64{a.ID}},
			{"component", models.ActionItemFilter{ComponentID: comp.ID}, []int64{a.ID, c.ID}},
			{"source", models.ActionItemFilter{SourceKinds: []string{models.SourceReview}}, nil},
			{"after id", models.ActionItemFilter{AfterID: a.ID, Limit: 1}, []int64{b.ID}},
		}
		for _, tc := range cases {
			got := ids(tc.f)
			if len(got) != len(tc.want) {
				t.Errorf("%s: got %v want %v", tc.name, got, tc.want)
				continue
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("%s: got %v want %v", tc.name, got, tc.want)
				}
			}
		}
		if n := must(models.CountActionItems(ctx, db, models.ActionItemFilter{OpenOnly: true})); n != 2 {
			t.Errorf("count open %d", n)
		}
		if !a.Overdue(today) || b.Overdue(today) {
			t.Error("Overdue()")
		}
		_ = time.Now
	})
}

func TestComponentCatalog(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		u := mkUser(t, db, models.RoleMember)
		team := mkTeam(t, db, "edge")
		act := actorOf(u)
		_, err := models.CreateComponent(ctx, db, act, models.ComponentInput{Name: "", Tier: 5, Team: "zzz", ReviewIntervalDays: -3,
			Links: []models.Link{{Title: "x", URL: "not a url"}}})
		for _, f := range []string{"name", "tier", "team", "review_interval_days", "links"} {
			wantField(t, err, f)
		}
		c := must(models.CreateComponent(ctx, db, act, models.ComponentInput{
			Name: "Edge Router", Team: "edge", Tier: 1, Description: "Routes *all* traffic",
			Links: []models.Link{{Title: "Grafana", URL: "https://grafana.example.com/d/edge", Kind: "dashboard"}},
			Tags:  []string{"Network", "ingress", "network"},
		}))
		if c.Slug != "edge-router" || c.ReviewIntervalDays != 90 || *c.TeamID != team.ID || len(c.Links) != 1 || c.NextReviewDue != nil {
			t.Fatalf("created %+v", c)
		}
		if got := c.TagNames(); len(got) != 2 || got[0] != "ingress" || got[1] != "network" {
			t.Fatalf("tags %v", got)
		}
		_, err = models.CreateComponent(ctx, db, act, models.ComponentInput{Name: "Edge router"})
		wantField(t, err, "slug")

		mkComponent(t, db, "Build pipeline", 3)
		upd := must(models.UpdateComponent(ctx, db, act, c.ID, 1, models.ComponentInput{Name: "Edge router", Tier: 2, Tags: []string{"ingress"}, ReviewIntervalDays: 120}))
		if upd.Version != 2 || upd.Tier != 2 || upd.ReviewIntervalDays != 120 || upd.TeamID != nil || len(upd.Links) != 0 || len(upd.Tags) != 1 {
			t.Fatalf("updated %+v", upd)
		}
		_, err = models.UpdateComponent(ctx, db, act, c.ID, 1, models.ComponentInput{Name: "Stale"})
		var ce *models.ConflictError
		if !errors.As(err, &ce) {
			t.Fatalf("stale update: %v", err)
		}
		today := models.Today(time.Now(), nil)
		list := must(models.ListComponents(ctx, db, models.ComponentFilter{Tag: "ingress"}))
		if len(list) != 1 || list[0].Slug != "edge-router" {
			t.Fatalf("by tag %v", list)
		}
		list = must(models.ListComponents(ctx, db, models.ComponentFilter{Tier: 3}))
		if len(list) != 1 || list[0].Slug != "build-pipeline" {
			t.Fatalf("by tier %v", list)
		}
		list = must(models.ListComponents(ctx, db, models.ComponentFilter{Review: models.ReviewFilterNever, Today: today}))
		if len(list) != 2 {
			t.Fatalf("never reviewed: %d", len(list))
		}
		list = must(models.ListComponents(ctx, db, models.ComponentFilter{Review: models.ReviewFilterOverdue, Today: today}))
		if len(list) != 0 {
			t.Fatalf("overdue: %d", len(list))
		}
		list = must(models.ListComponents(ctx, db, models.ComponentFilter{Query: "PIPE"}))
		if len(list) != 1 {
			t.Fatalf("query: %d", len(list))
		}
		if st := upd.ReviewStateOn(today); st.Kind != "never" {
			t.Fatalf("state %+v", st)
		}
		links, err := models.ParseLinks("Runbook | https://wiki.example.com/edge | runbook\n\nhttps://github.com/acme/edge\n")
		if err != nil || len(links) != 2 || links[0].Kind != "runbook" || links[1].Title != "https://github.com/acme/edge" {
			t.Fatalf("links %v %v", links, err)
		}
		if _, err := models.ParseLinks("a | b | c | d"); err == nil {
			t.Fatal("bad links accepted")
		}
	})
}

// TestInlineEditAndPatchAreAllOrNothing: an inline edit checks the
// version, writes only what differs and keeps nothing of a refused change;
// a PATCH of fields and status likewise.
func TestInlineEditAndPatchAreAllOrNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		u, other := mkUser(t, db, models.RoleMember), mkUser(t, db, models.RoleMember)
		act := actorOf(u)
		a := must(models.CreateActionItem(ctx, db, act, models.NewActionItem{ActionItemInput: models.ActionItemInput{
			Title: "Add a restore drill", Owner: u.Email, DueDate: "2030-01-10", Priority: models.PriorityLow}}))
		edit := models.InlineEdit{Version: a.Version, Priority: models.PriorityLow, Owner: u.Email, DueDate: "2030-01-10", Status: models.ActionOpen}
		unchanged := func(what string) {
			t.Helper()
			got := must(models.GetActionItem(ctx, db, a.ID))
			if got.Version != a.Version || got.Priority != a.Priority || got.Status != a.Status || *got.OwnerID != u.ID || got.DueDate.String() != "2030-01-10" {
				t.Fatalf("%s changed the item: %+v", what, got)
			}
		}

		// Validation: a bad owner, a bad date, won't do without a reason.
		bad := edit
		bad.Owner, bad.DueDate = "nobody@example.com", "soon"
		_, err := models.UpdateActionItemInline(ctx, db, act, a.ID, bad)
		wantField(t, err, "owner")
		wantField(t, err, "due_date")
		bad = edit
		bad.Priority, bad.Status = models.PriorityHigh, models.ActionWontDo
		_, err = models.UpdateActionItemInline(ctx, db, act, a.ID, bad)
		wantField(t, err, "status_reason")
		unchanged("a refused inline edit")
		// A stale version: a conflict with the item as it is.
		stale := edit
		stale.Version, stale.Priority = a.Version-1, models.PriorityHigh
		_, err = models.UpdateActionItemInline(ctx, db, act, a.ID, stale)
		var ce *models.ConflictError
		if !errors.As(err, &ce) || ce.Current.(*models.ActionItem).Version != a.Version {
			t.Fatalf("stale inline edit: %v", err)
		}
		unchanged("a stale inline edit")
		// Nothing different: nothing written.
		must(models.UpdateActionItemInline(ctx, db, act, a.ID, edit))
		unchanged("an inline edit without changes")
		// Owner and status: two versions, one history entry.
		ok := edit
		ok.Owner, ok.Status, ok.Note = other.Email, models.ActionBlocked, "Waiting for the new disks."
		got := must(models.UpdateActionItemInline(ctx, db, act, a.ID, ok))
		if got.Version != a.Version+2 || *got.OwnerID != other.ID || got.Status != models.ActionBlocked || got.StatusReason != "Waiting for the new disks." {
			t.Fatalf("after inline edit: %+v", got)
		}

		// PATCH: a refused status keeps the fields sent with it unsaved.
		high, wont := models.PriorityHigh, models.ActionWontDo
		_, err = models.PatchActionItem(ctx, db, act, a.ID, models.ActionPatch{Priority: &high, Status: &wont})
		wantField(t, err, "status_reason")
		if cur := must(models.GetActionItem(ctx, db, a.ID)); cur.Priority != models.PriorityLow || cur.Version != got.Version {
			t.Fatalf("a refused PATCH saved part of itself: %+v", cur)
		}
		v := got.Version
		done := models.ActionDone
		cur := must(models.PatchActionItem(ctx, db, act, a.ID, models.ActionPatch{Version: &v, Priority: &high, Status: &done, Note: "Drilled."}))
		if cur.Priority != models.PriorityHigh || cur.Status != models.ActionDone || cur.CompletionNote != "Drilled." || cur.Version != v+2 {
			t.Fatalf("after PATCH: %+v", cur)
		}
		if _, err := models.PatchActionItem(ctx, db, act, a.ID, models.ActionPatch{Version: &v, Priority: &high}); !errors.As(err, &ce) {
			t.Fatalf("stale PATCH: %v", err)
		}
	})
}
