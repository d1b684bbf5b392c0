package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app"
	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

var pathParam = regexp.MustCompile(`:[a-zA-Z_]+|\*`)

func fillPath(p string) string { return pathParam.ReplaceAllString(p, "1") }

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// TestEveryRouteRequiresSignInAndCSRF walks the whole route table: pages
// that are not public send a signed-out visitor to the sign-in page, API
// routes answer 401 problem+json, and every state-changing route refuses a
// request without a valid CSRF token with 403.
func TestEveryRouteRequiresSignInAndCSRF(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		admin := env.CreateUser(models.RoleAdmin, "Ada Admin")
		routes := env.App.Routes()
		if len(routes) < 10 {
			t.Fatalf("only %d routes", len(routes))
		}
		for _, r := range routes {
			path := fillPath(r.Path)
			t.Run(r.Method+" "+r.Path, func(t *testing.T) {
				if r.Access != "public" {
					res := env.Client().Do(r.Method, path, strings.NewReader(""), nil)
					if strings.HasPrefix(r.Path, "/api/") {
						if res.StatusCode != http.StatusUnauthorized || res.Header.Get("Content-Type") != "application/problem+json" {
							t.Errorf("signed out: %d %s, want 401 problem+json", res.StatusCode, res.Header.Get("Content-Type"))
						}
					} else if unsafeMethod(r.Method) {
						// Refused either way: no session means no valid CSRF token.
						if res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusSeeOther {
							t.Errorf("signed out %s: status %d", r.Method, res.StatusCode)
						}
					} else if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin?next=") {
						t.Errorf("signed out: %d → %q, want 303 to /signin", res.StatusCode, res.Header.Get("Location"))
					}
				}
				if unsafeMethod(r.Method) && !isWebhook(r) {
					c := env.Client().SignIn(admin)
					res := c.Do(r.Method, path, strings.NewReader("x=1"), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
					if res.StatusCode != http.StatusForbidden {
						t.Errorf("no CSRF token: status %d, want 403", res.StatusCode)
					}
					res = c.Do(r.Method, path, strings.NewReader("x=1"), http.Header{
						"Content-Type": {"application/x-www-form-urlencoded"}, "X-CSRF-Token": {"forged-token"},
					})
					if res.StatusCode != http.StatusForbidden {
						t.Errorf("forged CSRF token: status %d, want 403", res.StatusCode)
					}
				}
			})
		}
	})
}

func isWebhook(r app.RouteInfo) bool { return strings.Contains(r.Path, "/webhooks/") }

// TestRoleMatrix checks representative routes for each role.
func TestRoleMatrix(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		env.CreateUser(models.RoleAdmin, "First Admin")
		cases := []struct {
			role   models.Role
			method string
			path   string
			form   url.Values
			want   int
		}{
			{models.RoleViewer, http.MethodGet, "/", nil, 200},
			{models.RoleViewer, http.MethodGet, "/admin/users", nil, 403},
			{models.RoleMember, http.MethodGet, "/admin/users", nil, 403},
			{models.RoleFacilitator, http.MethodGet, "/admin/users", nil, 403},
			{models.RoleAdmin, http.MethodGet, "/admin/users", nil, 200},
			{models.RoleViewer, http.MethodPost, "/admin/teams", url.Values{"name": {"X"}}, 403},
			{models.RoleMember, http.MethodPost, "/admin/users", url.Values{"email": {"x@example.com"}}, 403},
			{models.RoleMember, http.MethodGet, "/admin/audit", nil, 403},
			{models.RoleAdmin, http.MethodGet, "/admin/audit", nil, 200},
		}
		for _, cs := range cases {
			c, _ := env.As(cs.role)
			var res *apptest.Response
			if cs.method == http.MethodGet {
				res = c.Get(cs.path)
			} else {
				res = c.Form(cs.path, cs.form)
			}
			if res.StatusCode != cs.want {
				t.Errorf("%s %s %s: %d, want %d", cs.role, cs.method, cs.path, res.StatusCode, cs.want)
			}
		}
	})
}
