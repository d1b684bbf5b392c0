package app_test

import (
	"net/http"
	"net/url"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestSignInNextWithTabStaysOnSite: browsers drop the tab in "/\t/x" and
// follow "//x" off-site, so such a next must become "/".
func TestSignInNextWithTabStaysOnSite(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		u := env.CreateUser(models.RoleMember, "")
		c := env.Client()
		for _, next := range []string{"/\t/evil.example", "/%09/evil.example", "/\\evil.example", "/%5C%5Cevil.example"} {
			// The form keeps it in a hidden field ...
			page := c.Get("/signin?next="+url.QueryEscape(next)).Expect(t, http.StatusOK)
			if v, _ := page.Doc(t).Find(`input[name="next"]`).Attr("value"); v != "/" {
				t.Errorf("sign-in form keeps next %q as %q", next, v)
			}
			// ... and the submit redirects there.
			r := env.Client().Form("/signin", url.Values{"email": {u.Email}, "password": {apptest.Password}, "next": {next}})
			if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
				t.Errorf("next %q: %d Location %q, want /", next, r.StatusCode, r.Header.Get("Location"))
			}
		}
	})
}

// TestSSOReturnPathStaysOnSite: the return path stored at the SSO start is
// checked the same way.
func TestSSOReturnPathStaysOnSite(t *testing.T) {
	m := startOIDC(t)
	env := apptest.New(t, dbtest.New(t, "sqlite"), withOIDC(m, "example.com"))
	env.CreateUser(models.RoleAdmin, "")
	m.QueueUser(newMockUser("sub-next", "nina@example.com"))
	c := env.Client()
	r := c.Get("/auth/oidc/start?next=" + url.QueryEscape("/\t/evil.example"))
	if r.StatusCode != http.StatusFound {
		t.Fatalf("start: %d", r.StatusCode)
	}
	res, err := c.HTTP.Get(r.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cb, _ := url.Parse(res.Header.Get("Location"))
	r = c.Get(cb.RequestURI())
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		t.Fatalf("callback: %d Location %q, want /", r.StatusCode, r.Header.Get("Location"))
	}
}
