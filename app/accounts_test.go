package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func TestAdminManagesUsersAndTeams(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		env := apptest.New(t, db)
		c, adminUser := env.As(models.RoleAdmin)

		// A bad email keeps the input and marks the field.
		r := c.Form("/admin/users", url.Values{"name": {"Sam SRE"}, "email": {"sam@"}, "role": {"member"}}).Expect(t, http.StatusUnprocessableEntity)
		if v, _ := r.Doc(t).Find(`#f-name`).Attr("value"); v != "Sam SRE" {
			t.Errorf("name not kept: %q", v)
		}
		r = c.Form("/admin/users", url.Values{"name": {"Sam SRE"}, "email": {"Sam@Example.com"}, "role": {"member"}}).Expect(t, http.StatusCreated)
		pw := strings.TrimSpace(r.Doc(t).Find(apptest.TestID("created-password") + " code").Text())
		if len(pw) < 12 {
			t.Fatalf("no one-time password shown: %q", pw)
		}
		// Emails are unique regardless of case.
		c.Form("/admin/users", url.Values{"name": {"Dup"}, "email": {"SAM@example.com"}, "role": {"viewer"}}).Expect(t, http.StatusUnprocessableEntity)

		sam, err := models.GetUserByEmail(ctx, db, "sam@example.com")
		if err != nil {
			t.Fatal(err)
		}
		sc := env.Client()
		sc.Form("/signin", url.Values{"email": {"sam@example.com"}, "password": {pw}}).Expect(t, http.StatusSeeOther)

		// Create a team with a manager and a member.
		c.Form("/admin/teams", url.Values{"name": {"Platform SRE"}, "managers": {adminUser.Email}, "members": {"sam@example.com, nobody@example.com"}}).Expect(t, http.StatusUnprocessableEntity)
		c.Form("/admin/teams", url.Values{"name": {"Platform SRE"}, "managers": {adminUser.Email}, "members": {"sam@example.com"}}).Expect(t, http.StatusSeeOther)
		teams := c.Get("/admin/teams").Expect(t, http.StatusOK)
		if teams.Doc(t).Find(apptest.TestID("team-row")).Length() != 1 || !strings.Contains(teams.Body, "platform-sre") {
			t.Fatalf("team not listed")
		}

		// Promote Sam, then disable: Sam's session ends.
		r = c.Form("/admin/users/"+itoa(sam.ID), url.Values{"name": {"Sam SRE"}, "role": {"facilitator"}})
		r.Expect(t, http.StatusSeeOther)
		if sc.Get("/").StatusCode != http.StatusSeeOther {
			t.Error("role change did not end Sam's session")
		}
		c.Form("/admin/users/"+itoa(sam.ID), url.Values{"name": {"Sam SRE"}, "role": {"facilitator"}, "disabled": {"1"}}).Expect(t, http.StatusSeeOther)
		env.Client().Form("/signin", url.Values{"email": {"sam@example.com"}, "password": {pw}}).Expect(t, http.StatusUnauthorized)

		// The admin cannot lock themselves out.
		c.Form("/admin/users/"+itoa(adminUser.ID), url.Values{"name": {adminUser.Name}, "role": {"member"}}).Expect(t, http.StatusUnprocessableEntity)

		// Everything above is in the audit trail, filterable by object type.
		a := c.Get("/admin/audit?type=team").Expect(t, http.StatusOK)
		if a.Doc(t).Find(apptest.TestID("audit-row")).Length() != 1 || !strings.Contains(a.Body, "created team platform-sre") {
			t.Fatalf("team audit missing:\n%.500s", a.Body)
		}
		a = c.Get("/admin/audit?type=user&action=state_change").Expect(t, http.StatusOK)
		if !strings.Contains(a.Body, "disabled") {
			t.Fatalf("disable not audited with its changed field")
		}
		c.Get("/admin/audit?from=yesterday").Expect(t, http.StatusOK)
	})
}

func TestAccountPasswordAndTokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		env.CreateUser(models.RoleAdmin, "")
		c, u := env.As(models.RoleMember)
		other := env.Client().SignIn(u)

		// Wrong current password.
		c.Form("/account/password", url.Values{"current_password": {"nope"}, "password": {"a brand new passphrase"}, "password_confirm": {"a brand new passphrase"}}).Expect(t, http.StatusUnprocessableEntity)
		c.Form("/account/password", url.Values{"current_password": {apptest.Password}, "password": {"a brand new passphrase"}, "password_confirm": {"a brand new passphrase"}}).Expect(t, http.StatusSeeOther)
		c.Get("/account").Expect(t, http.StatusOK) // this session survives
		if other.Get("/").StatusCode != http.StatusSeeOther {
			t.Error("other session survived a password change")
		}

		// Create a token: shown once, works on the API, revocable.
		r := c.Form("/account/tokens", url.Values{"name": {"CI pipeline"}}).Expect(t, http.StatusCreated)
		tok := strings.TrimSpace(r.Doc(t).Find(apptest.TestID("new-token") + " code").Text())
		if !strings.HasPrefix(tok, "dbf_") {
			t.Fatalf("token not shown: %q", tok)
		}
		api := env.Bearer(tok)
		me := api.JSON(http.MethodGet, "/api/v1/me", "").Expect(t, http.StatusOK)
		var got map[string]any
		_ = json.Unmarshal([]byte(me.Body), &got)
		if got["email"] != u.Email || got["role"] != "member" {
			t.Fatalf("me: %s", me.Body)
		}
		page := c.Get("/account").Expect(t, http.StatusOK)
		if strings.Contains(page.Body, tok) {
			t.Fatal("token shown again after creation")
		}
		if !strings.Contains(page.Doc(t).Find(apptest.TestID("token-row")).Text(), "CI pipeline") {
			t.Fatal("token not listed")
		}
		toks, _ := models.ListAPITokens(context.Background(), db, u.ID)
		if toks[0].LastUsedAt == nil {
			t.Error("last-used time not recorded")
		}
		c.Form("/account/tokens/"+itoa(toks[0].ID)+"/revoke", nil).Expect(t, http.StatusSeeOther)
		r = api.JSON(http.MethodGet, "/api/v1/me", "")
		r.Expect(t, http.StatusUnauthorized)
		if r.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("401 is not problem+json")
		}
		// Another user cannot revoke my tokens.
		_, tok2, _ := models.CreateAPIToken(context.Background(), db, models.SystemActor("t"), u.ID, "second")
		oc, _ := env.As(models.RoleAdmin)
		toks, _ = models.ListAPITokens(context.Background(), db, u.ID)
		oc.Form("/account/tokens/"+itoa(toks[0].ID)+"/revoke", nil).Expect(t, http.StatusNotFound)
		env.Bearer(tok2).JSON(http.MethodGet, "/api/v1/me", "").Expect(t, http.StatusOK)
	})
}

func TestAccountsAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		adminUser := env.CreateUser(models.RoleAdmin, "")
		member := env.CreateUser(models.RoleMember, "")
		a := env.Bearer(env.APIToken(adminUser))
		m := env.Bearer(env.APIToken(member))

		env.Client().JSON(http.MethodGet, "/api/v1/me", "").Expect(t, http.StatusUnauthorized)
		env.Bearer("dbf_nonsense").JSON(http.MethodGet, "/api/v1/me", "").Expect(t, http.StatusUnauthorized)

		r := a.JSON(http.MethodPost, "/api/v1/users", `{"email":"new@example.com","name":"New Person","role":"viewer"}`).Expect(t, http.StatusCreated)
		var created map[string]any
		_ = json.Unmarshal([]byte(r.Body), &created)
		if created["email"] != "new@example.com" || created["initial_password"] == "" || created["id"] == nil {
			t.Fatalf("create user: %s", r.Body)
		}
		r = a.JSON(http.MethodPost, "/api/v1/users", `{"email":"bad","name":"","role":"king"}`).Expect(t, http.StatusUnprocessableEntity)
		var prob map[string]any
		_ = json.Unmarshal([]byte(r.Body), &prob)
		errs, _ := prob["errors"].(map[string]any)
		if errs["email"] == nil || errs["name"] == nil || errs["role"] == nil {
			t.Fatalf("field errors: %s", r.Body)
		}
		a.JSON(http.MethodPost, "/api/v1/users", `{"email":`).Expect(t, http.StatusBadRequest)
		a.JSON(http.MethodPost, "/api/v1/users", `{"email":"x@example.com","nick":"x"}`).Expect(t, http.StatusBadRequest)
		m.JSON(http.MethodPost, "/api/v1/users", `{"email":"y@example.com","name":"Y","role":"admin"}`).Expect(t, http.StatusForbidden)
		m.JSON(http.MethodGet, "/api/v1/users", "").Expect(t, http.StatusForbidden)

		// Pagination walks every user exactly once.
		seen := map[string]bool{}
		cursor := ""
		for pages := 0; pages < 10; pages++ {
			r = a.JSON(http.MethodGet, "/api/v1/users?limit=2&cursor="+url.QueryEscape(cursor), "").Expect(t, http.StatusOK)
			var page struct {
				Items      []map[string]any `json:"items"`
				NextCursor string           `json:"next_cursor"`
			}
			_ = json.Unmarshal([]byte(r.Body), &page)
			for _, it := range page.Items {
				seen[it["email"].(string)] = true
			}
			if page.NextCursor == "" {
				break
			}
			cursor = page.NextCursor
		}
		if len(seen) != 3 {
			t.Fatalf("paged users: %v", seen)
		}
		a.JSON(http.MethodGet, "/api/v1/users?limit=501", "").Expect(t, http.StatusUnprocessableEntity)

		r = a.JSON(http.MethodPost, "/api/v1/teams", `{"name":"Data Platform","members":["`+member.Email+`"]}`).Expect(t, http.StatusCreated)
		if !strings.Contains(r.Body, `"slug":"data-platform"`) || !strings.Contains(r.Body, member.Email) {
			t.Fatalf("create team: %s", r.Body)
		}
		m.JSON(http.MethodPost, "/api/v1/teams", `{"name":"Rogue"}`).Expect(t, http.StatusForbidden)
		r = m.JSON(http.MethodGet, "/api/v1/teams", "").Expect(t, http.StatusOK)
		if !strings.Contains(r.Body, `"items":[{`) || !strings.Contains(r.Body, `"next_cursor":""`) {
			t.Fatalf("list teams: %s", r.Body)
		}
	})
}
