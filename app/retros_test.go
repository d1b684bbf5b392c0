package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

var sinceRe = regexp.MustCompile(`sse-connect="(/retros/\d+/stream\?since=\d+)"`)

// nextPart returns the next "oob" update that replaces the element id.
func nextPart(s *apptest.SSE, id string) string {
	for {
		m := s.NextEvent("oob")
		if i := strings.Index(m.Data, `<div id="`+id+`" hx-swap-oob="innerHTML">`); i >= 0 {
			return m.Data[i:]
		}
	}
}

// htmxPost posts a form as htmx does.
func htmxPost(c *apptest.Client, path string, v url.Values) *apptest.Response {
	return c.Send(http.MethodPost, path, "application/x-www-form-urlencoded", v.Encode())
}

// openRetro makes a retro through the pages and returns its path.
func openRetro(t *testing.T, c *apptest.Client, v url.Values) string {
	t.Helper()
	r := c.Form("/retros", v).Expect(t, http.StatusSeeOther)
	return r.Header.Get("Location")
}

func retroSession(t *testing.T, db *gorm.DB, path string) *models.RetroSession {
	t.Helper()
	id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/retros/"), 10, 64)
	s, err := models.GetRetro(context.Background(), db, id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// advance moves the session on as its facilitator until it is in phase.
func advance(t *testing.T, db *gorm.DB, fac *apptest.Client, path, phase string) *models.RetroSession {
	t.Helper()
	s := retroSession(t, db, path)
	for s.Phase != phase {
		htmxPost(fac, path+"/phase", url.Values{"from": {s.Phase}, "to": {s.NextPhase()}}).Expect(t, http.StatusOK)
		s = retroSession(t, db, path)
	}
	return s
}

func TestRetroNotesNeverReachOthersBeforeReveal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		fac, _ := env.As(models.RoleFacilitator)
		ada, adaUser := env.As(models.RoleMember)
		bobUser := env.CreateUser(models.RoleMember, "Bob Participant")
		bob := env.Client().SignIn(bobUser)
		path := openRetro(t, fac, url.Values{"title": {"Payments retro"}, "prompts": {"What went well?\nWhat was hard?"}, "vote_budget": {"2"}, "anonymous": {"1"}})
		s := advance(t, db, fac, path, models.PhaseReflect)

		// Bob's page and stream are open before Ada writes.
		page := bob.Get(path).Expect(t, http.StatusOK)
		connect := sinceRe.FindStringSubmatch(page.Body)
		if connect == nil {
			t.Fatalf("no stream on the page")
		}
		stream := bob.Stream(strings.ReplaceAll(connect[1], "&amp;", "&"), "")
		adaStream := ada.Stream(path+"/stream", "")
		adaStream.NextEvent("board")

		secret := "The pager was silent for twenty minutes"
		for !strings.Contains(onlineNames(t, stream.NextEvent("people").Data), adaUser.Name) {
			// wait until Bob sees Ada's stream arrive
		}
		seenBefore := len(stream.Raw())
		r := htmxPost(ada, path+"/notes", url.Values{"prompt": {strconv.FormatInt(s.Prompts[1].ID, 10)}, "text": {secret}}).Expect(t, http.StatusOK)
		if strings.Contains(r.Body, secret) || r.Doc(t).Find(apptest.TestID("note-form")).Length() != 1 {
			t.Fatalf("the answer to Ada is not a fresh form: %s", r.Body)
		}
		// Ada's own stream shows her note; Bob's shows a hidden note.
		region := "notes-" + strconv.FormatInt(s.Prompts[1].ID, 10)
		if m := nextPart(adaStream, region); !strings.Contains(m, secret) {
			t.Fatalf("Ada's stream: %q", m)
		}
		// Anonymous: Bob's stream gets nothing at all for Ada's note (no
		// counter, no people list, not even an event id) whose timing
		// could point at her; the next thing he sees is the timer.
		htmxPost(fac, path+"/timer", url.Values{"minutes": {"5"}}).Expect(t, http.StatusOK)
		stream.NextEvent("timer")
		if raw := stream.Raw()[seenBefore:]; strings.Contains(raw, region) || strings.Contains(raw, "event: oob") || strings.Contains(raw, "retro-writers") {
			t.Fatalf("Ada's note moved something on Bob's stream:\n%s", raw)
		}
		bobPage := bob.Get(path).Doc(t)
		if got := bobPage.Find(apptest.TestID("hidden-notes")).First().Text(); !strings.Contains(got, "uncounted") {
			t.Fatalf("Bob's page counts hidden notes: %q", got)
		}
		adaName := adaUser.Name
		if people := bobPage.Find(apptest.TestID("person")).Not(".online").Text(); strings.Contains(people, adaName) {
			t.Fatalf("Ada is listed as a participant the moment she wrote, without opening the retro: %q", people)
		}
		if strings.Contains(stream.Raw(), secret) {
			t.Fatal("Ada's note reached Bob's stream before the reveal")
		}
		if strings.Contains(bob.Get(path).Body, secret) {
			t.Fatal("Ada's note is in Bob's page before the reveal")
		}
		// A fresh stream (no cursor: a full snapshot) does not have it either.
		fresh := bob.Stream(path+"/stream", "")
		fresh.NextEvent("board")
		if strings.Contains(fresh.Raw(), secret) {
			t.Fatal("Ada's note is in Bob's snapshot before the reveal")
		}
		fresh.Close()

		// Only the facilitator reveals.
		env.Client().SignIn(bobUser)
		htmxPost(bob, path+"/reveal", nil).Expect(t, http.StatusForbidden)
		htmxPost(fac, path+"/reveal", nil).Expect(t, http.StatusOK)
		var m string
		for {
			m = nextPart(stream, region)
			if strings.Contains(m, secret) {
				break
			}
		}
		// Anonymous: the author is never named to Bob next to a note (the
		// people list says who is in the room, not who wrote what).
		notes := bob.Get(path).Doc(t).Find(apptest.TestID("note")).Text()
		if strings.Contains(m, adaName) || strings.Contains(notes, adaName) || !strings.Contains(notes, secret) {
			t.Fatalf("Bob's notes %q name the author %q", notes, adaName)
		}
		if !strings.Contains(m, "Anonymous") {
			t.Errorf("the revealed note is not marked anonymous: %q", m)
		}
	})
}

// onlineNames is the names the people region shows as here.
func onlineNames(t *testing.T, fragment string) string {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(fragment))
	if err != nil {
		t.Fatal(err)
	}
	return doc.Find(".person.online .person-name").Text()
}

// retroParticipantName is the name of a participant other than except.
func retroParticipantName(t *testing.T, db *gorm.DB, sessionID, except int64) string {
	t.Helper()
	var names []string
	db.Raw(`SELECT u.name FROM retro_notes n JOIN users u ON u.id = n.author_id WHERE n.session_id = ? AND n.author_id <> ?`, sessionID, except).Scan(&names)
	if len(names) == 0 {
		t.Fatal("no author")
	}
	return names[0]
}

func TestRetroPhasesAndVotesThroughTheRouter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		fac, _ := env.As(models.RoleFacilitator)
		amy, amyUser := env.As(models.RoleMember)
		viewer, _ := env.As(models.RoleViewer)
		amy.Get("/retros/new").Expect(t, http.StatusForbidden)
		bad := fac.Form("/retros", url.Values{"title": {""}, "prompts": {""}, "vote_budget": {"50"}}).Expect(t, http.StatusUnprocessableEntity).Doc(t)
		if bad.Find(apptest.TestID("error-vote_budget")).Length() != 1 || bad.Find(apptest.TestID("error-prompts")).Length() != 1 {
			t.Fatal("field errors missing")
		}
		path := openRetro(t, fac, url.Values{"title": {"Platform Q3"}, "prompts": {"Keep\nChange"}, "vote_budget": {"2"}})
		list := viewer.Get("/retros").Expect(t, http.StatusOK).Doc(t)
		if !strings.Contains(list.Find(apptest.TestID("open-retros")).Text(), "Platform Q3") {
			t.Fatal("not listed")
		}
		doc := viewer.Get(path).Expect(t, http.StatusOK).Doc(t)
		if doc.Find(apptest.TestID("phase-next")).Length() != 0 || doc.Find(apptest.TestID("ready")).Length() != 0 {
			t.Fatal("a viewer gets controls")
		}
		// Only the facilitator moves the phase; a stale move is refused
		// with a message and changes nothing.
		htmxPost(amy, path+"/phase", url.Values{"from": {"stage"}, "to": {"review"}}).Expect(t, http.StatusForbidden)
		htmxPost(viewer, path+"/phase", url.Values{"from": {"stage"}, "to": {"review"}}).Expect(t, http.StatusForbidden)
		htmxPost(fac, path+"/phase", url.Values{"from": {"stage"}, "to": {"review"}}).Expect(t, http.StatusOK)
		r := htmxPost(fac, path+"/phase", url.Values{"from": {"stage"}, "to": {"review"}}).Expect(t, http.StatusConflict)
		if !strings.Contains(r.Body, "Review past actions") {
			t.Errorf("stale move message %q", r.Body)
		}
		r = htmxPost(amy, path+"/ready", url.Values{"ready": {"1"}}).Expect(t, http.StatusOK)
		doc = fac.Get(path).Expect(t, http.StatusOK).Doc(t)
		if doc.Find(apptest.TestID("person-ready")).Length() != 1 {
			t.Fatal("ready not shown")
		}
		s := advance(t, db, fac, path, models.PhaseReflect)
		htmxPost(amy, path+"/notes", url.Values{"prompt": {strconv.FormatInt(s.Prompts[0].ID, 10)}, "text": {""}}).Expect(t, http.StatusUnprocessableEntity)
		htmxPost(amy, path+"/notes", url.Values{"prompt": {strconv.FormatInt(s.Prompts[0].ID, 10)}, "text": {"Deploys are slow"}}).Expect(t, http.StatusOK)
		// Editing one's note: a refusal comes back in the form, at the text.
		mine, _ := models.LoadRetroBoard(context.Background(), db, s.ID)
		edit := path + "/notes/" + strconv.FormatInt(mine.NotesFor(amyUser.ID)[0].ID, 10)
		long := strings.Repeat("x", models.MaxNoteLength+1)
		r = htmxPost(amy, edit, url.Values{"text": {long}}).Expect(t, http.StatusUnprocessableEntity)
		if d := r.Doc(t); d.Find(apptest.TestID("error-text")).Length() != 1 || d.Find("textarea").Text() != long {
			t.Fatalf("refused note edit: %.300s", r.Body)
		}
		htmxPost(amy, edit, url.Values{"text": {"Deploys are slow"}}).Expect(t, http.StatusOK)
		s = advance(t, db, fac, path, models.PhaseGroup)
		r = htmxPost(amy, path+"/themes", url.Values{"title": {"Deploy speed"}}).Expect(t, http.StatusOK)
		b, _ := models.LoadRetroBoard(context.Background(), db, s.ID)
		th := b.Themes[0]
		note := b.NotesFor(amyUser.ID)[0]
		htmxPost(amy, path+"/notes/"+strconv.FormatInt(note.ID, 10)+"/group", url.Values{"theme": {strconv.FormatInt(th.ID, 10)}}).Expect(t, http.StatusOK)
		advance(t, db, fac, path, models.PhaseVote)
		vote := path + "/themes/" + strconv.FormatInt(th.ID, 10) + "/vote"
		htmxPost(amy, vote, nil).Expect(t, http.StatusOK)
		htmxPost(amy, vote, nil).Expect(t, http.StatusOK)
		r = htmxPost(amy, vote, nil).Expect(t, http.StatusConflict)
		if !strings.Contains(r.Body, "no votes left") {
			t.Errorf("over budget: %q", r.Body)
		}
		doc = amy.Get(path).Expect(t, http.StatusOK).Doc(t)
		if got := doc.Find(apptest.TestID("votes-left")).Text(); !strings.Contains(got, "0 of 2 votes left") {
			t.Errorf("votes left %q", got)
		}
		htmxPost(amy, path+"/themes/"+strconv.FormatInt(th.ID, 10)+"/unvote", nil).Expect(t, http.StatusOK)
		advance(t, db, fac, path, models.PhaseDiscuss)
		htmxPost(amy, path+"/factors", url.Values{"theme": {strconv.FormatInt(th.ID, 10)}, "kind": {"finding"}, "title": {"Builds are not cached"}}).Expect(t, http.StatusOK)
		advance(t, db, fac, path, models.PhaseActions)
		r = htmxPost(amy, path+"/actions", url.Values{"title": {"Cache builds"}, "priority": {"high"}}).Expect(t, http.StatusUnprocessableEntity)
		if r.Doc(t).Find(apptest.TestID("error-owner")).Length() != 1 || r.Doc(t).Find(apptest.TestID("error-due_date")).Length() != 1 {
			t.Fatalf("owner and due date required: %s", r.Body)
		}
		htmxPost(amy, path+"/actions", url.Values{"title": {"Cache builds"}, "priority": {"high"}, "owner": {amyUser.Email}, "due_date": {"2026-05-01"}}).Expect(t, http.StatusOK)
		// The item's page links to the retro it was agreed in.
		made, _ := models.ListActionItems(t.Context(), db, models.ActionItemFilter{})
		if len(made) != 1 || !strings.Contains(amy.Get("/action-items/"+itoa(made[0].ID)).Expect(t, http.StatusOK).Doc(t).Find(apptest.TestID("action-retro")).AttrOr("href", ""), path) {
			t.Fatalf("action item without its retro: %+v", made)
		}
		advance(t, db, fac, path, models.PhaseClose)
		doc = fac.Get(path).Expect(t, http.StatusOK).Doc(t)
		draft := doc.Find(apptest.TestID("summary-text")).Text()
		if !strings.Contains(draft, "**Deploy speed** — 1 vote") || !strings.Contains(draft, "Cache builds") {
			t.Fatalf("draft summary %q", draft)
		}
		// A refused summary comes back as typed, with the reason at it.
		long = strings.Repeat("An edited summary. ", models.MaxMarkdownLength/10)
		doc = fac.Form(path+"/close", url.Values{"summary": {long}}).Expect(t, http.StatusUnprocessableEntity).Doc(t)
		if doc.Find(apptest.TestID("summary-text")).Text() != long || doc.Find(apptest.TestID("error-summary")).Length() != 1 {
			t.Fatal("a refused summary was lost or not explained")
		}
		fac.Form(path+"/close", url.Values{"summary": {draft}}).Expect(t, http.StatusSeeOther)
		doc = viewer.Get(path).Expect(t, http.StatusOK).Doc(t)
		if !strings.Contains(doc.Find(apptest.TestID("retro-summary")).Text(), "Deploy speed") {
			t.Fatal("closed retro does not show its summary")
		}
	})
}

// TestRetroNoteCrossesInstances: two Debrief instances on one PostgreSQL
// database; a note added through instance A reaches its author's stream on
// instance B, and the other participant's stream on B gets the hidden
// count, then the text after a reveal sent through A.
func TestRetroNoteCrossesInstances(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		if dialect != models.DialectPostgres {
			return // one SQLite file serves one instance
		}
		ctx := context.Background()
		dsn := dbtest.NewDSN(t, dialect)
		open := func() *gorm.DB {
			db, err := models.Open(ctx, dsn, models.Options{MaxConns: 4})
			if err != nil {
				t.Fatal(err)
			}
			sqlDB, _ := db.DB()
			t.Cleanup(func() { _ = sqlDB.Close() })
			return db
		}
		a, b := apptest.New(t, open()), apptest.New(t, open())
		facU := a.CreateUser(models.RoleFacilitator, "Fay")
		adaU := a.CreateUser(models.RoleMember, "Ada")
		bobU := a.CreateUser(models.RoleMember, "Bob")
		fac := a.Client().SignIn(facU)
		path := openRetro(t, fac, url.Values{"title": {"Across"}, "prompts": {"One"}, "vote_budget": {"3"}})
		s := advance(t, a.DB, fac, path, models.PhaseReflect)

		adaOnA, adaOnB, bobOnB := a.Client().SignIn(adaU), b.Client().SignIn(adaU), b.Client().SignIn(bobU)
		adaStream, bobStream := adaOnB.Stream(path+"/stream", ""), bobOnB.Stream(path+"/stream", "")
		adaStream.NextEvent("board")
		bobStream.NextEvent("board")
		text := "Written on A, read on B"
		htmxPost(adaOnA, path+"/notes", url.Values{"prompt": {strconv.FormatInt(s.Prompts[0].ID, 10)}, "text": {text}}).Expect(t, http.StatusOK)
		region := "notes-" + strconv.FormatInt(s.Prompts[0].ID, 10)
		if m := nextPart(adaStream, region); !strings.Contains(m, text) {
			t.Fatalf("Ada's stream on B: %q", m)
		}
		if m := nextPart(bobStream, region); strings.Contains(m, text) || !strings.Contains(m, "hidden") {
			t.Fatalf("Bob's stream on B before the reveal: %q", m)
		}
		htmxPost(fac, path+"/reveal", nil).Expect(t, http.StatusOK)
		for {
			if m := nextPart(bobStream, region); strings.Contains(m, text) {
				break
			}
		}
	})
}

// TestRetroSurvivesReconnectsAndRestarts: a browser that reconnects with
// the last event id it saw catches up on what it missed, and a new server
// process on the same database shows the session exactly as it was.
func TestRetroSurvivesReconnectsAndRestarts(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dsn := dbtest.NewDSN(t, dialect)
		open := func(t *testing.T) *gorm.DB {
			db, err := models.Open(ctx, dsn, models.Options{MaxConns: 4})
			if err != nil {
				t.Fatal(err)
			}
			sqlDB, _ := db.DB()
			t.Cleanup(func() { _ = sqlDB.Close() })
			return db
		}
		var path string
		var fac, ada *models.User
		t.Run("reconnect", func(t *testing.T) {
			env := apptest.New(t, open(t))
			fac, ada = env.CreateUser(models.RoleFacilitator, "Fay"), env.CreateUser(models.RoleMember, "Ada")
			fc, ac := env.Client().SignIn(fac), env.Client().SignIn(ada)
			path = openRetro(t, fc, url.Values{"title": {"Restart"}, "prompts": {"One"}, "vote_budget": {"3"}})
			s := advance(t, env.DB, fc, path, models.PhaseReflect)
			prompt := strconv.FormatInt(s.Prompts[0].ID, 10)
			st := ac.Stream(path+"/stream", "")
			st.NextEvent("board")
			htmxPost(ac, path+"/notes", url.Values{"prompt": {prompt}, "text": {"First note"}}).Expect(t, http.StatusOK)
			var seen string
			for {
				m := st.NextEvent("oob")
				if strings.Contains(m.Data, "First note") {
					seen = m.ID
					break
				}
			}
			st.Close() // the connection drops
			htmxPost(ac, path+"/notes", url.Values{"prompt": {prompt}, "text": {"Written while away"}}).Expect(t, http.StatusOK)
			// The browser reconnects with the last id it saw: it missed an
			// event, so it gets everything again.
			back := ac.Stream(path+"/stream", seen)
			if m := back.NextEvent("board"); !strings.Contains(m.Data, "Written while away") || !strings.Contains(m.Data, "First note") {
				t.Fatalf("catch-up after reconnect: %q", m.Data)
			}
			htmxPost(fc, path+"/timer", url.Values{"minutes": {"5"}}).Expect(t, http.StatusOK)
			back.NextEvent("timer")
		})
		t.Run("restart", func(t *testing.T) {
			// A new process on the same database.
			env := apptest.New(t, open(t))
			ac := env.Client().SignIn(ada)
			doc := ac.Get(path).Expect(t, http.StatusOK).Doc(t)
			notes := doc.Find(apptest.TestID("note")).Text()
			if !strings.Contains(notes, "First note") || !strings.Contains(notes, "Written while away") {
				t.Fatalf("after a restart: %q", notes)
			}
			if doc.Find(apptest.TestID("phase-current")).Text() != "Reflect" || doc.Find(apptest.TestID("countdown")).Length() != 1 {
				t.Fatal("phase or timer lost in the restart")
			}
			fc := env.Client().SignIn(fac)
			htmxPost(fc, path+"/phase", url.Values{"from": {"reflect"}, "to": {"group"}}).Expect(t, http.StatusOK)
		})
	})
}
