package models_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// kindsTable has a parameter of every kind.
var kindsTable = &models.FilterTable{Name: "test", Params: []models.FilterParam{
	{Key: "q", Kind: models.FilterText, Chip: "Text “{}”"},
	{Key: "tag", Kind: models.FilterTag, Repeats: true, Chip: "tag {}", Join: " and "},
	{Key: "color", Kind: models.FilterEnum, Repeats: true, Choices: []models.FilterChoice{{Value: "red", Label: "Red"}, {Value: "blue", Label: "Blue"}}, Chip: "{}"},
	{Key: "flag", Kind: models.FilterFlag, Chip: "Flagged"},
	{Key: "n", Kind: models.FilterNumber, Min: 1, Max: 10, Chip: "{} days"},
	{Key: "soft_n", Kind: models.FilterNumber, Min: 1, Max: 10, Lenient: true},
	{Key: "day", Aliases: []string{"old_day"}, Kind: models.FilterDate, Chip: "on {}"},
	{Key: "since", Kind: models.FilterDayOrTime},
	{Key: "tz", Kind: models.FilterZone},
	{Key: "team", Kind: models.FilterTeam, Special: []models.FilterChoice{{Value: "none", Label: "No team"}}, Chip: "Team: {}"},
	{Key: "teams", Kind: models.FilterTeam, Repeats: true, Lenient: true, Chip: "team {}"},
	{Key: "owner", Kind: models.FilterUser, Chip: "Owner: {}"},
	{Key: "component", Kind: models.FilterComponent, Chip: "Component: {}"},
	{Key: "severity", Kind: models.FilterSeverity, Chip: "Severity {}"},
	{Key: "incident", Kind: models.FilterIncident, Chip: "From {}"},
	{Key: "review", Kind: models.FilterReview, Lenient: true, Chip: "From review {}"},
	{Key: "finding", Kind: models.FilterFinding, Lenient: true, Chip: "From finding {}"},
}}

func resolve(t *testing.T, db *gorm.DB, table *models.FilterTable, query string, me *models.User) (*models.ResolvedFilter, map[string]string) {
	t.Helper()
	v, err := url.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	r, err := models.ResolveFilter(ctx, db, table, v, me)
	if r == nil {
		t.Fatalf("%s: %v", query, err)
	}
	if err == nil {
		return r, nil
	}
	ve, ok := models.AsValidation(err)
	if !ok {
		t.Fatalf("%s: %v", query, err)
	}
	if len(ve.Fields) != len(r.Messages()) {
		t.Errorf("%s: messages %q for %v", query, r.Messages(), ve.Fields)
	}
	return r, ve.Fields
}

func chipLabels(r *models.ResolvedFilter) string {
	var out []string
	for _, c := range r.Chips() {
		out = append(out, c.Key+"="+c.Label)
	}
	return strings.Join(out, "|")
}

func TestResolveFilterKinds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		me := mkUser(t, db, models.RoleMember)
		other := mkUserEmail(t, db, "Dana.Ops@Example.com")
		team := mkTeam(t, db, "storage")
		comp := mkComponent(t, db, "Object store", 1)
		inc := mkIncident(t, db, "Disk full", "", nil)
		fx := newReviewFixture(t, db)
		rev := fx.review(t)
		fnd := must(models.CreateFinding(ctx, db, actorOf(fx.member), rev.ID, models.FindingInput{Title: "Backups never restored", Risk: "critical", QuestionKey: "backups"}))
		sevs := must(models.ListSeverities(ctx, db))
		sev := sevs[0]

		// Every kind with a good value.
		q := url.Values{
			"q": {"  disk "}, "tag": {"db,net", "db"}, "color": {"red", "blue"}, "flag": {"true"}, "n": {"7"}, "soft_n": {"99"},
			"old_day": {"2026-03-01"}, "since": {"2026-03-01T10:00:00+02:00"}, "tz": {"Europe/Berlin"},
			"team": {"storage"}, "teams": {"storage,nope"}, "owner": {" DANA.ops@example.com "}, "component": {comp.Slug},
			"severity": {strings.ToLower(sev.Name)}, "incident": {strings.ToLower(inc.Key())},
			"review": {itoa(rev.ID)}, "finding": {itoa(fnd.ID)},
		}
		r, errs := resolve(t, db, kindsTable, q.Encode(), me)
		if errs != nil {
			t.Fatalf("errors %v", errs)
		}
		item := func(key string) models.FilterItem {
			it, ok := r.Item(key)
			if !ok {
				t.Fatalf("%s: no value", key)
			}
			return it
		}
		if item("q").Value != "disk" || len(r.Items("tag")) != 2 || len(r.Items("color")) != 2 || !r.Has("flag") || item("n").Int != 7 {
			t.Errorf("simple kinds: %+v", r.Params)
		}
		if r.Has("soft_n") {
			t.Error("a lenient number out of range is ignored")
		}
		if item("day").Date.String() != "2026-03-01" || item("since").Time == nil || item("since").Time.UTC().Hour() != 8 {
			t.Errorf("dates: %+v %+v", item("day"), item("since"))
		}
		if item("tz").Zone.String() != "Europe/Berlin" {
			t.Errorf("zone %v", item("tz").Zone)
		}
		if item("team").ID != team.ID || item("owner").ID != other.ID || item("component").ID != comp.ID ||
			item("severity").ID != sev.ID || item("incident").ID != inc.ID || item("review").ID != rev.ID || item("finding").ID != fnd.ID {
			t.Errorf("lookups: %+v", r.Canonical())
		}
		if ids := r.Items("teams"); len(ids) != 2 || ids[0].ID != team.ID || ids[1].ID != -1 {
			t.Errorf("lenient repeated teams: %+v", ids)
		}
		// Canonical forms for links; Params keep lookups as typed.
		can := r.Canonical("owner", "severity", "incident", "day")
		if can.Get("owner") != other.Email || can.Get("severity") != sev.Name || can.Get("incident") != inc.Key() || can.Get("day") != "2026-03-01" {
			t.Errorf("canonical %v", can)
		}
		if r.Params.Get("owner") != "DANA.ops@example.com" || r.Params.Get("tag") != "db,net" || r.Params.Get("day") != "2026-03-01" || r.Params.Get("flag") != "1" {
			t.Errorf("params %v", r.Params)
		}
		want := "q=Text “disk”|tag=tag db and tag net|color=Red or Blue|flag=Flagged|n=7 days|day=on 2026-03-01|team=Team: storage|" +
			"teams=team storage or team nope|owner=Owner: " + other.Name + "|component=Component: Object store|severity=Severity " + sev.Name +
			"|incident=From " + inc.Key() + " Disk full|review=From review “" + rev.Title + "”|finding=From finding “Backups never restored”"
		if got := chipLabels(r); got != want {
			t.Errorf("chips\n%s\nwant\n%s", got, want)
		}

		// Special values and "me".
		r, errs = resolve(t, db, kindsTable, "team=none&owner=me&review=99999", me)
		if errs != nil || item("team").Special != "none" || item("owner").ID != me.ID || item("owner").Value != me.Email {
			t.Fatalf("special: %v %+v", errs, r.Canonical())
		}
		if got := chipLabels(r); got != "team=No team|owner=Owner: me|review=From review #99999" {
			t.Errorf("special chips %q", got)
		}
		// Text no row can have is looked up nowhere.
		_, errs = resolve(t, db, kindsTable, "component=a%00b&owner=%FF", me)
		if errs["component"] != "No component has the slug a\x00b." || errs["owner"] == "" {
			t.Errorf("unusable text: %q", errs)
		}
		// "me" without a signed-in user is an email nobody has.
		_, errs = resolve(t, db, kindsTable, "owner=me", nil)
		if errs["owner"] != "No user has the email me." {
			t.Errorf("me without a user: %v", errs)
		}

		// Unknown rows, bad values: a message per parameter, by its name.
		r, errs = resolve(t, db, kindsTable, "team=nope&owner=nobody@example.com&component=nope&severity=SEV9&incident=INC-999&incident=x"+
			"&review=abc&color=green&color=red&n=11&day=2026-13-01&since=yesterday&tz=Local&q=fine", me)
		for key, msg := range map[string]string{
			"team": "No team has the slug nope.", "owner": "No user has the email nobody@example.com.", "component": "No component has the slug nope.",
			"severity": "No severity is called SEV9.", "incident": "No incident has the key INC-999.", "review": "review must be a number.",
			"color": `Unknown color "green".`, "n": "n must be a number.", "day": "Enter day as YYYY-MM-DD.", "since": "Enter a date like 2026-03-01.",
			"tz": "Choose a time zone by its IANA name, like Europe/Berlin or America/New_York.",
		} {
			if errs[key] != msg {
				t.Errorf("%s: %q, want %q", key, errs[key], msg)
			}
		}
		if len(errs) != 11 {
			t.Errorf("errors %v", errs)
		}
		// Good values stay; lookups keep what was typed (for the form).
		if item("q").Value != "fine" || len(r.Items("color")) != 1 || r.Has("team") || r.Params.Get("team") != "nope" || r.Params.Get("day") != "" {
			t.Errorf("partial result: %v", r.Params)
		}
		if got := chipLabels(r); got != "q=Text “fine”|color=Red" {
			t.Errorf("chips with errors %q", got)
		}
		if msgs := r.Messages(); len(msgs) != 11 || msgs[0] != `Unknown color "green".` {
			t.Errorf("messages in table order: %q", msgs)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestResolveFilterLooksUpOnceAKind(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		mkTeam(t, db, "storage")
		mkTeam(t, db, "network")
		stmts := dbtest.CountStatements(t, db)
		var err error
		n, _ := stmts.During(func() {
			_, err = models.ResolveFilter(ctx, db, kindsTable, url.Values{"team": {"storage"}, "teams": {"network,storage,nope"}, "q": {"x"}}, nil)
		})
		if err != nil || n != 1 {
			t.Errorf("%d statements, %v", n, err)
		}
		n, _ = stmts.During(func() {
			_, err = models.ResolveFilter(ctx, db, kindsTable, url.Values{"q": {"x"}, "day": {"2026-01-01"}, "team": {"none"}}, nil)
		})
		if err != nil || n != 0 {
			t.Errorf("no lookups: %d statements, %v", n, err)
		}
	})
}

func TestActionFiltersMapToTheQuery(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		me := mkUser(t, db, models.RoleMember)
		team := mkTeam(t, db, "storage")
		loc := mustLoc(t, "Europe/Berlin")
		now := time.Date(2026, 3, 10, 23, 30, 0, 0, time.UTC) // already the 11th in Berlin
		r, errs := resolve(t, db, models.ActionFilters, "team="+team.Slug+"&owner=me&status=open,blocked&status=open&due=7d&due_to=2026-04-01"+
			"&age=7-29&min_age=5&sort=-due&source_kind=manual&postmortem=1&severity=none", me)
		if errs != nil {
			t.Fatal(errs)
		}
		q := models.ActionQueryOf(r, now, loc)
		if q.TeamID != team.ID || q.OwnerID != me.ID || strings.Join(q.Statuses, ",") != "open,blocked" || !q.OpenOnly ||
			q.DueFrom.String() != "2026-03-11" || q.DueTo.String() != "2026-04-01" || !q.Age || q.AgeMin != 7 || q.AgeMax != 29 ||
			q.MinAgeDays != 5 || q.Sort != "-due" || strings.Join(q.SourceKinds, ",") != "manual" || !q.Postmortem || !q.NoSeverity {
			t.Errorf("query %+v", q)
		}
		want := "status=Open or Blocked|team=Team: storage|owner=Owner: me|source=From manual|due=Due within 7 days|due_to=Due until 2026-04-01|" +
			"postmortem=From postmortems and retros|severity=Incident without severity|age=Open, 1–4 weeks old|min_age=Created 5+ days ago"
		if got := chipLabels(r); got != want {
			t.Errorf("chips\n%s\nwant\n%s", got, want)
		}
		// The page's messages, and a query that matches nothing.
		r, errs = resolve(t, db, models.ActionFilters, "state=maybe&due=sometime&outcome=x&age=1-2&min_age=0&within=x&sort=up&status=gone&team=none", me)
		for key, msg := range map[string]string{
			"state": "Choose open or closed.", "due": "Choose overdue, today, 7d, 30d or none.", "outcome": "Choose on_time, late, open_overdue or not_yet_due.",
			"age": "Unknown age range.", "min_age": "min_age must be a number of days from 1 to 3650.", "within": "within must be a number of days from 1 to 3650.",
			"sort": "Unknown sort.", "status": `Unknown status "gone".`,
		} {
			if errs[key] != msg {
				t.Errorf("%s: %q, want %q", key, errs[key], msg)
			}
		}
		if q := models.ActionQueryOf(r, now, loc); q.OwnerID != -1 || !q.NoTeam {
			t.Errorf("a bad filter must match nothing: %+v", q)
		}
	})
}

func TestFollowThroughFiltersMapToTheScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		me := mkUser(t, db, models.RoleMember)
		team := mkTeam(t, db, "storage")
		now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
		r, _ := resolve(t, db, models.FollowThroughFilters, "team=storage&owner=me&days=30&tag=db", me)
		sc, err := models.FollowThroughScopeOf(r, now, time.UTC)
		if err != nil || sc.TeamID != team.ID || sc.OwnerID != me.ID || sc.From.String() != "2026-02-09" || sc.To.String() != "2026-03-10" || sc.IncidentTag != "db" {
			t.Errorf("scope %+v %v", sc, err)
		}
		if b := r.Canonical(models.FollowThroughSelection...); b.Get("owner") != me.Email || b.Get("team") != "storage" || b.Has("days") {
			t.Errorf("selection %v", b)
		}
		// Default period; a bad days is ignored; bad dates and a period
		// the figures cannot cover are errors.
		r, _ = resolve(t, db, models.FollowThroughFilters, "days=9999", me)
		if sc, err := models.FollowThroughScopeOf(r, now, time.UTC); err != nil || sc.From.String() != "2025-12-11" {
			t.Errorf("default period %v %v", sc.From, err)
		}
		for query, want := range map[string][2]string{
			"from=2026-13-01":                 {"from", "Enter the date as YYYY-MM-DD."},
			"from=2026-04-01&to=2026-04-02":   {"from", "The period starts in the future."},
			"from=2020-01-01":                 {"from", "Choose a period of at most 731 days."},
			"from=2026-03-01&to=2026-02-01":   {"to", "The period ends before it starts."},
			"team=nope":                       {"team", "No team has the slug nope."},
			"owner=none":                      {"owner", "No user has the email none."},
			"severity=none&component=missing": {"severity", "No severity is called none."},
		} {
			r, _ := resolve(t, db, models.FollowThroughFilters, query, me)
			_, err := models.FollowThroughScopeOf(r, now, time.UTC)
			ve, _ := models.AsValidation(err)
			if ve == nil || ve.Fields[want[0]] != want[1] {
				t.Errorf("%s: %v, want %s: %s", query, err, want[0], want[1])
			}
		}
	})
}

func TestIncidentAndInsightFiltersMapToTheFilter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		team := mkTeam(t, db, "storage")
		berlin := mustLoc(t, "Europe/Berlin")
		r, errs := resolve(t, db, models.IncidentFilters, "status=open&status=resolved,open&team=storage&team=nope&severity=nope&tag=db,net"+
			"&from=2026-03-29&to=2026-03-29&q=disk&sort=oldest", nil)
		if errs != nil {
			t.Fatal(errs)
		}
		f := models.IncidentFilterOf(r, berlin)
		// The last Sunday of March is 23 hours long in Berlin.
		if strings.Join(f.Statuses, ",") != "open,resolved" || len(f.TeamIDs) != 2 || f.TeamIDs[0] != team.ID || f.TeamIDs[1] != -1 ||
			len(f.SeverityIDs) != 1 || f.SeverityIDs[0] != -1 || strings.Join(f.Tags, ",") != "db,net" || f.Query != "disk" || f.Sort != "oldest" ||
			f.From.UTC().Format(time.RFC3339) != "2026-03-28T23:00:00Z" || f.To.Sub(*f.From) != 23*time.Hour {
			t.Errorf("filter %+v from %v to %v", f, f.From, f.To)
		}
		r, _ = resolve(t, db, models.IncidentFilters, "to=2026-03-01T10:00:00Z", nil)
		if f := models.IncidentFilterOf(r, berlin); f.To.UTC().Format(time.RFC3339) != "2026-03-01T10:00:00Z" {
			t.Errorf("an instant is taken as it is: %v", f.To)
		}
		_, errs = resolve(t, db, models.IncidentFilters, "status=asleep&sort=random&from=soon", nil)
		if errs["status"] != "Status is one of open, investigating, identified, monitoring, resolved, closed." ||
			errs["sort"] != "Sort by newest, oldest, severity, key or updated." || errs["from"] != "Enter a date like 2026-03-01." {
			t.Errorf("errors %v", errs)
		}

		// Insights: the same filters; list-only parameters are not theirs
		// (the zone tz is insights.ScopeOf's, tested in models/insights).
		r, errs = resolve(t, db, models.InsightFilters, "tz=Europe/Berlin&from=2026-03-01&team=storage&status=asleep&sort=random", nil)
		if errs != nil {
			t.Fatal(errs)
		}
		if f := models.IncidentFilterOf(r, berlin); f.From.UTC().Format(time.RFC3339) != "2026-02-28T23:00:00Z" || f.Statuses != nil || f.Sort != "" {
			t.Errorf("insight filter %+v", f)
		}
		if got := chipLabels(r); got != "team=team storage|from=from 2026-03-01" {
			t.Errorf("insight chips %q", got)
		}
	})
}

// FuzzResolveFilter: any query string resolves without a panic, and every
// message names a parameter of the table.
func FuzzResolveFilter(f *testing.F) {
	db := fuzzDB(f)
	for _, seed := range []string{"", "team=none&owner=me&status=open,,done", "due_from=2026-02-30&min_age=-1&age=180-",
		"incident=INC-0&review=9999999999999999999&severity=%00", "from=2026-03-01T10:00:00Z&tz=../etc&tag=,,&source_kind=retro"} {
		f.Add(seed)
	}
	tables := []*models.FilterTable{models.ActionFilters, models.FollowThroughFilters, models.IncidentFilters, models.InsightFilters}
	f.Fuzz(func(t *testing.T, query string) {
		v, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		for _, table := range tables {
			r, err := models.ResolveFilter(ctx, db, table, v, nil)
			if r == nil {
				t.Fatalf("%s: %v", query, err)
			}
			for key := range r.Errors() {
				if table.Param(key) == nil {
					t.Fatalf("%s: message for %q, no parameter of %s", query, key, table.Name)
				}
			}
			_ = r.Chips()
		}
	})
}
