package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	goical "github.com/emersion/go-ical"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// ftFixture is a small organisation with action items in every state:
// two teams, three owners, postmortem items of two severities, items
// created months ago and closed on time, late, or as won't do.
type ftFixture struct {
	storage, network *models.Team
	ana, ben, cy     *models.User
	sev1             models.Severity
	inc              *models.Incident
	items            map[string]*models.ActionItem
}

func seedFollowThrough(t *testing.T, env *apptest.Env) *ftFixture {
	t.Helper()
	ctx := context.Background()
	db := env.DB
	f := &ftFixture{items: map[string]*models.ActionItem{}}
	var err error
	if f.storage, err = models.CreateTeam(ctx, db, testActor, models.NewTeam{Name: "Storage", Slug: "storage"}); err != nil {
		t.Fatal(err)
	}
	if f.network, err = models.CreateTeam(ctx, db, testActor, models.NewTeam{Name: "Network", Slug: "network"}); err != nil {
		t.Fatal(err)
	}
	f.ana, f.ben, f.cy = env.CreateUser(models.RoleMember, "Ana Owner"), env.CreateUser(models.RoleMember, "Ben Owner"), env.CreateUser(models.RoleMember, "Cy Owner")
	sevs, _ := models.ListSeverities(ctx, db)
	f.sev1 = sevs[0]
	f.inc = mustIncident(t, db, models.IncidentInput{Title: "Disk full on db-3", SeverityID: &sevs[0].ID, StartedAt: utc("2026-01-10T10:00:00Z")})
	inc2 := mustIncident(t, db, models.IncidentInput{Title: "Packet loss", SeverityID: &sevs[2].ID, StartedAt: utc("2026-02-10T10:00:00Z")})
	mk := func(key string, in models.ActionItemInput, incident *models.Incident, createdDaysAgo int) *models.ActionItem {
		n := models.NewActionItem{ActionItemInput: in}
		if incident != nil {
			n.IncidentID, n.SourceKind = &incident.ID, models.SourcePostmortem
		}
		a, err := models.CreateActionItem(ctx, db, testActor, n)
		if err != nil {
			t.Fatal(err)
		}
		if createdDaysAgo > 0 {
			at := models.Now(db).Add(-time.Duration(createdDaysAgo) * 24 * time.Hour)
			if err := db.Exec("UPDATE action_items SET created_at = ? WHERE id = ?", at, a.ID).Error; err != nil {
				t.Fatal(err)
			}
		}
		f.items[key] = a
		return a
	}
	mk("late-open", models.ActionItemInput{Title: "Expand the disk alerts", Owner: f.ana.Email, Team: "storage", DueDate: day(-5)}, f.inc, 40)
	mk("late-open-2", models.ActionItemInput{Title: "Move WAL to its own volume", Owner: f.ben.Email, Team: "storage", DueDate: day(-1)}, f.inc, 10)
	mk("soon", models.ActionItemInput{Title: "Test the restore", Owner: f.ana.Email, Team: "storage", DueDate: day(3)}, nil, 2)
	mk("month", models.ActionItemInput{Title: "Capacity review", Owner: f.cy.Email, Team: "network", DueDate: day(20)}, inc2, 5)
	mk("undated", models.ActionItemInput{Title: "Write the runbook", Team: "network"}, nil, 200)
	ontime := mk("on-time", models.ActionItemInput{Title: "Add a second NIC", Owner: f.cy.Email, Team: "network", DueDate: day(0)}, inc2, 70)
	setStatus(t, db, ontime.ID, models.ActionDone, "Installed")
	late := mk("done-late", models.ActionItemInput{Title: "Shorten the TTL", Owner: f.ana.Email, Team: "storage", DueDate: day(-8)}, f.inc, 35)
	setStatus(t, db, late.ID, models.ActionDone, "")
	wont := mk("wont", models.ActionItemInput{Title: "Rewrite the proxy", Owner: f.ben.Email, Team: "storage", DueDate: day(-2)}, nil, 95)
	setStatus(t, db, wont.ID, models.ActionWontDo, "Replaced by the new load balancer")
	return f
}

// countOf reads the list's "N action items" heading.
func countOf(t *testing.T, c *apptest.Client, href string) int {
	t.Helper()
	s := strings.TrimSpace(c.Get(href).Expect(t, http.StatusOK).Doc(t).Find(apptest.TestID("result-count")).Text())
	if strings.HasPrefix(s, "No action items") {
		return 0
	}
	n, err := strconv.Atoi(strings.Fields(s)[0])
	if err != nil {
		t.Fatalf("count %q at %s", s, href)
	}
	return n
}

var wholeInt = regexp.MustCompile(`^\d+$`)

// checkFigureLinks follows every count on a page that links to the action
// list and checks that the list has that many items; it returns how many
// it checked.
func checkFigureLinks(t *testing.T, c *apptest.Client, doc *goquery.Document, label string) int {
	t.Helper()
	checked := 0
	doc.Find("main a[href^='/action-items?']").Each(func(_ int, a *goquery.Selection) {
		text := strings.TrimSpace(a.Text())
		if !wholeInt.MatchString(text) {
			return
		}
		n, _ := strconv.Atoi(text)
		href, _ := a.Attr("href")
		if got := countOf(t, c, href); got != n {
			t.Errorf("%s: %q links to %s with %d items", label, text, href, got)
		}
		checked++
	})
	return checked
}

// TestDashboardFiguresLinkToTheirItems: every count on the dashboard links
// to a list with exactly that many items, for the whole organisation, a
// team and an owner.
func TestDashboardFiguresLinkToTheirItems(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		f := seedFollowThrough(t, env)
		c, _ := env.As(models.RoleViewer)
		for _, q := range []string{"", "?team=storage", "?owner=" + url.QueryEscape(f.ana.Email), "?days=365&team=network", "?severity=" + f.sev1.Name} {
			r := c.Get("/action-items/dashboard"+q).Expect(t, http.StatusOK)
			doc := r.Doc(t)
			if checked := checkFigureLinks(t, c, doc, q); checked < 12 {
				t.Errorf("%s: only %d figures checked", q, checked)
			}
			if q == "" {
				if v := strings.TrimSpace(doc.Find(apptest.TestID("fig-overdue") + " .value").Text()); v != "2" {
					t.Errorf("overdue %q", v)
				}
				if v := strings.TrimSpace(doc.Find(apptest.TestID("fig-completion") + " .value").Text()); v != "25%" {
					t.Errorf("completion rate %q, want 1 on time of 4 decided", v)
				}
				if v := strings.TrimSpace(doc.Find(apptest.TestID("fig-wontdo") + " .value").Text()); v != "33%" {
					t.Errorf("won't do share %q", v)
				}
				if n := doc.Find(apptest.TestID("breakdown-row")).Length(); n != 2 {
					t.Errorf("%d team rows", n)
				}
				if doc.Find(apptest.TestID("burnup-row")).Length() != 2 || doc.Find(apptest.TestID("trend-chart")).AttrOr("data-chart", "") == "" {
					t.Error("burn-ups or trend chart missing")
				}
				if !strings.Contains(doc.Find(apptest.TestID("definitions")).Text(), "done by the due date ÷") {
					t.Error("definitions not shown")
				}
			}
			if q == "?team=storage" && doc.Find(apptest.TestID("breakdown-row")).Length() != 2 {
				t.Errorf("storage has 2 owners, breakdown shows %d", doc.Find(apptest.TestID("breakdown-row")).Length())
			}
		}
		r := c.Get("/action-items/dashboard?from=2026-13-01").Expect(t, http.StatusUnprocessableEntity)
		if !strings.Contains(r.Body, "YYYY-MM-DD") {
			t.Error("bad date not explained")
		}
		c.Get("/action-items/dashboard?from="+day(10)).Expect(t, http.StatusUnprocessableEntity)

		// The burn-up page of the postmortem.
		doc := c.Get("/action-items/burn-up?incident="+f.inc.Key()).Expect(t, http.StatusOK).Doc(t)
		if v := strings.TrimSpace(doc.Find(apptest.TestID("bu-items") + " .value").Text()); v != "3" {
			t.Errorf("burn-up items %q", v)
		}
		rows := doc.Find(apptest.TestID("burnup-table") + " tbody tr")
		if last := rows.Last().Find("td"); rows.Length() < 2 || last.Eq(0).Text() != "3" || last.Eq(1).Text() != "1" {
			t.Errorf("burn-up now: %s", rows.Last().Text())
		}
		c.Get("/action-items/burn-up?incident=INC-999").Expect(t, http.StatusNotFound)
		c.Get("/action-items/burn-up?review=999").Expect(t, http.StatusNotFound)
		c.Get("/action-items/burn-up?review=x").Expect(t, http.StatusNotFound)
		c.Get("/action-items/burn-up").Expect(t, http.StatusNotFound)
	})
}

func TestFollowThroughAPIAgreesWithTheFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		f := seedFollowThrough(t, env)
		_, u := env.As(models.RoleViewer)
		api := env.Bearer(env.APIToken(u))
		today := models.Today(time.Now(), time.UTC)
		r := api.JSON(http.MethodGet, "/api/v1/insights/follow-through?team=storage&by=owner&days=120", "").Expect(t, http.StatusOK)
		var got struct {
			Scope         struct{ Team, From, To string }
			Open, Overdue int64
			Completion    struct {
				OnTime int64 `json:"on_time"`
				Rate   *float64
			}
			Closing struct {
				Closed        int64
				MedianSeconds *float64 `json:"median_seconds"`
			}
			Trend     []struct{ Open, Overdue int64 }
			Breakdown []struct {
				Owner         *string
				Open, Overdue int64
			}
		}
		if err := json.Unmarshal([]byte(r.Body), &got); err != nil {
			t.Fatal(err)
		}
		want, err := models.ComputeFollowThroughBy(context.Background(), db, models.FollowThroughScope{
			TeamID: f.storage.ID, From: today.AddDays(-119), To: today, Loc: time.UTC}, models.ByOwner)
		if err != nil {
			t.Fatal(err)
		}
		if got.Scope.Team != "storage" || got.Scope.From != want.Scope.From.String() || got.Open != want.Open || got.Overdue != want.Overdue ||
			got.Completion.OnTime != want.Completion.OnTime || got.Closing.Closed != want.Closing.Closed || len(got.Trend) != len(want.Trend) {
			t.Fatalf("api %+v\nmodels %+v", got, want)
		}
		if got.Closing.MedianSeconds == nil || *got.Closing.MedianSeconds != *want.Closing.MedianSeconds {
			t.Errorf("median %v", got.Closing.MedianSeconds)
		}
		if got.Trend[len(got.Trend)-1].Overdue != want.Overdue {
			t.Errorf("trend now %+v, overdue %d", got.Trend[len(got.Trend)-1], want.Overdue)
		}
		var owners []string
		for _, b := range got.Breakdown {
			owners = append(owners, *b.Owner)
		}
		slices.Sort(owners)
		if fmt.Sprint(owners) != fmt.Sprint([]string{f.ana.Email, f.ben.Email}) {
			t.Errorf("breakdown owners %v", owners)
		}
		api.JSON(http.MethodGet, "/api/v1/insights/follow-through?by=month", "").Expect(t, http.StatusUnprocessableEntity)
		api.JSON(http.MethodGet, "/api/v1/insights/follow-through?team=nope", "").Expect(t, http.StatusUnprocessableEntity)
		env.Client().JSON(http.MethodGet, "/api/v1/insights/follow-through", "").Expect(t, http.StatusUnauthorized)
	})
}

// TestFollowThroughInsight: the Insights tab shows the dashboard's figures
// for the insight filters, each linking to its items, and narrows to the
// items of incidents of a severity.
func TestFollowThroughInsight(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		f := seedFollowThrough(t, env)
		c, _ := env.As(models.RoleViewer)
		figure := func(doc *goquery.Document, id string) string {
			return strings.TrimSpace(doc.Find(apptest.TestID(id) + " .value").Text())
		}
		doc := c.Get("/insights/follow-through").Expect(t, http.StatusOK).Doc(t)
		if doc.Find(`[data-testid="tab-follow_through"][aria-current="page"]`).Length() != 1 {
			t.Fatal("follow-through tab not current")
		}
		if figure(doc, "fig-open") != "5" || figure(doc, "fig-overdue") != "2" || figure(doc, "fig-completion") != "25%" {
			t.Errorf("whole organisation: open %s overdue %s completion %s", figure(doc, "fig-open"), figure(doc, "fig-overdue"), figure(doc, "fig-completion"))
		}
		if doc.Find(apptest.TestID("trend-chart")).AttrOr("data-chart", "") == "" || doc.Find(`script[src*="echarts"]`).Length() != 1 {
			t.Error("trend chart or chart library missing")
		}
		if n := checkFigureLinks(t, c, doc, "insight"); n < 12 {
			t.Errorf("only %d figures checked", n)
		}
		// SEV1: the items of the disk incident (two open and overdue, one
		// done late); the period default is the last 90 days.
		doc = c.Get("/insights/follow-through?severity="+f.sev1.Name).Expect(t, http.StatusOK).Doc(t)
		if figure(doc, "fig-open") != "2" || figure(doc, "fig-overdue") != "2" || figure(doc, "fig-completion") != "0%" {
			t.Errorf("SEV1: open %s overdue %s completion %s", figure(doc, "fig-open"), figure(doc, "fig-overdue"), figure(doc, "fig-completion"))
		}
		checkFigureLinks(t, c, doc, "SEV1")
		if v := doc.Find("#f-from").AttrOr("value", ""); v != day(-89) {
			t.Errorf("default period starts %q, want %s", v, day(-89))
		}
		json := doc.Find(apptest.TestID("ft-json")).AttrOr("href", "")
		if !strings.Contains(json, "severity="+f.sev1.Name) {
			t.Errorf("JSON link %q", json)
		}
		c.Get(json).Expect(t, http.StatusOK)
		// A period too long or in the future is shown at its field.
		doc = c.Get("/insights/follow-through?from=2020-01-01&to="+day(0)).Expect(t, http.StatusUnprocessableEntity).Doc(t)
		if doc.Find(apptest.TestID("error-from")).Length() != 1 {
			t.Error("no error at the period field")
		}
		// A mistyped date stays in its field, with the message beside it.
		doc = c.Get("/insights/follow-through?from=2026-13-01").Expect(t, http.StatusUnprocessableEntity).Doc(t)
		if v := doc.Find("#f-from").AttrOr("value", ""); v != "2026-13-01" || doc.Find(apptest.TestID("error-from")).Length() != 1 {
			t.Errorf("mistyped from: value %q", v)
		}
		c.Get("/insights/follow-through?component=nope").Expect(t, http.StatusUnprocessableEntity)
	})
}

func TestActionItemsAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		f := seedFollowThrough(t, env)
		_, m := env.As(models.RoleMember)
		_, v := env.As(models.RoleViewer)
		api, ro := env.Bearer(env.APIToken(m)), env.Bearer(env.APIToken(v))

		ro.JSON(http.MethodPost, "/api/v1/action-items", `{"title":"x"}`).Expect(t, http.StatusForbidden)
		r := api.JSON(http.MethodPost, "/api/v1/action-items", `{"title":"","owner":"nobody@example.com","incident":"INC-404"}`).Expect(t, http.StatusUnprocessableEntity)
		for _, field := range []string{`"incident"`} {
			if !strings.Contains(r.Body, field) {
				t.Errorf("no message for %s: %s", field, r.Body)
			}
		}
		r = api.JSON(http.MethodPost, "/api/v1/action-items", fmt.Sprintf(`{"title":"Page on WAL growth","owner":%q,"team":"storage","due_date":%q,"incident":%q,"priority":"high"}`,
			f.ana.Email, day(4), f.inc.Key())).Expect(t, http.StatusCreated)
		var created struct {
			ID                           int64
			Status, SourceKind, Incident string
			Version                      int
		}
		_ = json.Unmarshal([]byte(r.Body), &created)
		if created.Status != "open" || created.Incident != f.inc.Key() || created.Version != 1 {
			t.Fatalf("created %s", r.Body)
		}
		path := "/api/v1/action-items/" + itoa(created.ID)

		// PATCH: stale version 409 with the current item; won't do needs a reason; then done with a note.
		r = api.JSON(http.MethodPatch, path, `{"version":7,"priority":"low"}`).Expect(t, http.StatusConflict)
		if !strings.Contains(r.Body, `"current"`) {
			t.Errorf("409 without current: %s", r.Body)
		}
		api.JSON(http.MethodPatch, path, `{"version":1,"status":"wont_do"}`).Expect(t, http.StatusUnprocessableEntity)
		// A refused status leaves the fields sent with it unsaved.
		api.JSON(http.MethodPatch, path, `{"version":1,"priority":"low","status":"wont_do"}`).Expect(t, http.StatusUnprocessableEntity)
		if r := ro.JSON(http.MethodGet, path, "").Expect(t, http.StatusOK); !strings.Contains(r.Body, `"priority":"high"`) || !strings.Contains(r.Body, `"version":1`) {
			t.Fatalf("a refused PATCH saved part of itself: %s", r.Body)
		}
		r = api.JSON(http.MethodPatch, path, `{"version":1,"due_date":"`+day(6)+`","status":"done","completion_note":"Alert added"}`).Expect(t, http.StatusOK)
		if !strings.Contains(r.Body, `"status":"done"`) || !strings.Contains(r.Body, `"completion_note":"Alert added"`) ||
			!strings.Contains(r.Body, `"due_date":"`+day(6)) || !strings.Contains(r.Body, `"closed_on":"`+day(0)) {
			t.Fatalf("patched %s", r.Body)
		}
		r = ro.JSON(http.MethodGet, path+"/history", "").Expect(t, http.StatusOK)
		if strings.Count(r.Body, `"to":`) != 2 || !strings.Contains(r.Body, `"note":"Alert added"`) {
			t.Errorf("history: %s", r.Body)
		}
		ro.JSON(http.MethodGet, "/api/v1/action-items/99999/history", "").Expect(t, http.StatusNotFound)

		// The list with the page's filters, paged.
		r = ro.JSON(http.MethodGet, "/api/v1/action-items?team=storage&state=open&sort=due&limit=2", "").Expect(t, http.StatusOK)
		var page struct {
			Items []struct {
				Title string
				Owner string
			}
			NextCursor string `json:"next_cursor"`
		}
		_ = json.Unmarshal([]byte(r.Body), &page)
		if len(page.Items) != 2 || page.NextCursor == "" || page.Items[0].Title != "Expand the disk alerts" {
			t.Fatalf("page 1: %s", r.Body)
		}
		r = ro.JSON(http.MethodGet, "/api/v1/action-items?team=storage&state=open&sort=due&limit=2&cursor="+page.NextCursor, "").Expect(t, http.StatusOK)
		_ = json.Unmarshal([]byte(r.Body), &page)
		if len(page.Items) != 1 || page.NextCursor != "" || page.Items[0].Title != "Test the restore" {
			t.Fatalf("page 2: %s", r.Body)
		}
		ro.JSON(http.MethodGet, "/api/v1/action-items?due=whenever", "").Expect(t, http.StatusUnprocessableEntity)
		// The first API's parameter names still work, paged by id.
		r = ro.JSON(http.MethodGet, "/api/v1/action-items?status=open_all&source_kind=postmortem&due_before="+day(0)+"&limit=1", "").Expect(t, http.StatusOK)
		_ = json.Unmarshal([]byte(r.Body), &page)
		if len(page.Items) != 1 || page.Items[0].Title != "Expand the disk alerts" || page.NextCursor == "" {
			t.Fatalf("old names: %s", r.Body)
		}
		r = ro.JSON(http.MethodGet, "/api/v1/action-items?status=open_all&source_kind=postmortem&due_before="+day(0)+"&limit=1&cursor="+page.NextCursor, "").Expect(t, http.StatusOK)
		_ = json.Unmarshal([]byte(r.Body), &page)
		if len(page.Items) != 1 || page.Items[0].Title != "Move WAL to its own volume" || page.NextCursor != "" {
			t.Fatalf("old names, page 2: %s", r.Body)
		}

		// Bulk: all or nothing.
		ids := fmt.Sprintf("[%d,%d]", f.items["soon"].ID, f.items["undated"].ID)
		api.JSON(http.MethodPost, "/api/v1/action-items/bulk", `{"ids":`+ids+`,"status":"wont_do"}`).Expect(t, http.StatusUnprocessableEntity)
		api.JSON(http.MethodPost, "/api/v1/action-items/bulk", `{"ids":[`+itoa(f.items["soon"].ID)+`,99999],"status":"done"}`).Expect(t, http.StatusNotFound)
		r = api.JSON(http.MethodPost, "/api/v1/action-items/bulk", `{"ids":`+ids+`,"owner":"`+f.cy.Email+`","due_date":"`+day(30)+`"}`).Expect(t, http.StatusOK)
		if r.Body != "{\"changed\":2,\"unchanged\":0}\n" {
			t.Errorf("bulk %q", r.Body)
		}
		if n := countOf(t, env.Client().SignIn(v), "/action-items?owner="+url.QueryEscape(f.cy.Email)+"&due_from="+day(30)+"&due_to="+day(30)); n != 2 {
			t.Errorf("bulk moved %d items", n)
		}

		// Comments.
		cpath := "/api/v1/action-items/" + itoa(f.items["soon"].ID) + "/comments"
		api.JSON(http.MethodPost, cpath, `{"body":""}`).Expect(t, http.StatusUnprocessableEntity)
		api.JSON(http.MethodPost, cpath, `{"body":"Restore took 14 minutes."}`).Expect(t, http.StatusCreated)
		r = ro.JSON(http.MethodGet, cpath, "").Expect(t, http.StatusOK)
		if !strings.Contains(r.Body, "Restore took 14 minutes.") || !strings.Contains(r.Body, m.Name) {
			t.Errorf("comments %s", r.Body)
		}
		ro.JSON(http.MethodGet, "/api/v1/action-items/99999/comments", "").Expect(t, http.StatusNotFound)
	})
}

// TestCalendarFeedHasExactlyTheOpenItems: the feed parses with an
// iCalendar library and holds one all-day event per open item the user
// owns with a due date — nothing else; a revoked URL answers 404.
func TestCalendarFeedHasExactlyTheOpenItems(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		c, me := env.As(models.RoleMember)
		other := env.CreateUser(models.RoleMember, "")
		a := item(t, db, models.ActionItemInput{Title: "Rotate certificates", Owner: me.Email, DueDate: day(3)})
		b := item(t, db, models.ActionItemInput{Title: "Overdue drill", Owner: me.Email, DueDate: day(-2)})
		blocked := item(t, db, models.ActionItemInput{Title: "Blocked upgrade", Owner: me.Email, DueDate: day(9)})
		setStatus(t, db, blocked.ID, models.ActionBlocked, "vendor")
		item(t, db, models.ActionItemInput{Title: "No date", Owner: me.Email})
		done := item(t, db, models.ActionItemInput{Title: "Finished", Owner: me.Email, DueDate: day(1)})
		setStatus(t, db, done.ID, models.ActionDone, "")
		item(t, db, models.ActionItemInput{Title: "Someone else's", Owner: other.Email, DueDate: day(1)})

		c.Form("/account/calendar", url.Values{"next": {"/account/notifications"}}).Expect(t, http.StatusSeeOther)
		feed, _ := url.Parse(c.Get("/account/notifications").Doc(t).Find(apptest.TestID("calendar-url")).AttrOr("value", ""))
		anon := env.Client()
		r := anon.Get(feed.Path).Expect(t, http.StatusOK)
		cal, err := goical.NewDecoder(strings.NewReader(r.Body)).Decode()
		if err != nil {
			t.Fatalf("feed does not parse: %v\n%s", err, r.Body)
		}
		got := map[string]string{}
		for _, ev := range cal.Events() {
			summary, _ := ev.Props.Text(goical.PropSummary)
			start := ev.Props.Get(goical.PropDateTimeStart)
			uid, _ := ev.Props.Text(goical.PropUID)
			if start == nil || start.ValueType() != goical.ValueDate {
				t.Errorf("%s: not an all-day event", summary)
				continue
			}
			got[summary] = start.Value + " " + uid
		}
		want := map[string]models.Date{}
		for _, it := range []*models.ActionItem{a, b, blocked} {
			want["Due: "+it.Title] = *it.DueDate
		}
		if len(got) != len(want) {
			t.Fatalf("events %v, want %v", got, want)
		}
		for title, d := range want {
			v, ok := got[title]
			if !ok || !strings.HasPrefix(v, strings.ReplaceAll(d.String(), "-", "")+" action-item-") {
				t.Errorf("%s: %q, want on %s", title, v, d)
			}
		}
		c.Form("/account/calendar/revoke", nil).Expect(t, http.StatusSeeOther)
		anon.Get(feed.Path).Expect(t, http.StatusNotFound)
	})
}
