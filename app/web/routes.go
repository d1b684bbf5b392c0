package web

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
)

// Access is who may call a route. It is checked in one place for every
// route, from the route table.
type Access int

const (
	// Public routes need no sign-in (health, static, sign-in itself).
	Public Access = iota
	// Viewer routes need any signed-in user: viewers read.
	Viewer
	// Member routes create and edit content, answer reviews, own items.
	Member
	// Facilitator routes run reviews and retros.
	Facilitator
	// Admin routes manage users, teams, templates, severities, settings.
	Admin
)

func (a Access) String() string {
	return [...]string{"public", "viewer", "member", "facilitator", "admin"}[a]
}

// Role is the least role that passes a.
func (a Access) Role() models.Role {
	switch a {
	case Member:
		return models.RoleMember
	case Facilitator:
		return models.RoleFacilitator
	case Admin:
		return models.RoleAdmin
	}
	return models.RoleViewer
}

// Allows reports whether u may call a route of this access level.
func (a Access) Allows(u *models.User) bool {
	if a == Public {
		return true
	}
	return u != nil && u.Role.Allows(a.Role())
}

// Route is one entry of the route table.
type Route struct {
	Name    string
	Method  string
	Path    string
	Handler echo.HandlerFunc
	Access  Access
	// Stream marks long-lived responses (SSE): no gzip, no write deadline.
	Stream bool
	// Upload marks routes that accept large bodies (imports).
	Upload bool
	// NoSession skips loading the session (probes, static files).
	NoSession bool
	// Webhook routes authenticate by signature and need no CSRF token.
	Webhook bool
	// Secret marks a path that carries a credential (a calendar feed's or a
	// webhook's token): request logs show the route pattern instead.
	Secret bool
}

// Table is the route table once registered: it finds routes by name (to
// build URLs and answer "may this user use it?") and by pattern (for the
// middleware that treats streams, uploads and webhooks differently).
type Table struct {
	list      []Route
	byName    map[string]Route
	byPattern map[string]Route
}

// NewTable indexes routes; a repeated name is a programming error.
func NewTable(routes []Route) *Table {
	t := &Table{list: routes, byName: map[string]Route{}, byPattern: map[string]Route{}}
	for _, r := range routes {
		if _, dup := t.byName[r.Name]; dup {
			panic("web: duplicate route name " + r.Name)
		}
		t.byName[r.Name] = r
		t.byPattern[r.Method+" "+r.Path] = r
	}
	return t
}

// All lists the routes in table order.
func (t *Table) All() []Route { return t.list }

// Named returns the route called name; an unknown name is a programming
// error.
func (t *Table) Named(name string) Route {
	r, ok := t.byName[name]
	if !ok {
		panic(fmt.Sprintf("web: no route named %q", name))
	}
	return r
}

// Of returns the route serving the request, if any.
func (t *Table) Of(c echo.Context) (Route, bool) {
	r, ok := t.byPattern[c.Request().Method+" "+c.Path()]
	return r, ok
}

// Path returns the path of the named route with params substituted in
// order (path-escaped).
func (t *Table) Path(name string, params ...any) string {
	p := t.Named(name).Path
	var b strings.Builder
	segs := strings.Split(p, "/")
	n := 0
	for i, seg := range segs {
		if i > 0 {
			b.WriteByte('/')
		}
		if strings.HasPrefix(seg, ":") || seg == "*" {
			if n >= len(params) {
				panic(fmt.Sprintf("web: route %q needs more parameters", name))
			}
			b.WriteString(url.PathEscape(fmt.Sprint(params[n])))
			n++
			continue
		}
		b.WriteString(seg)
	}
	return b.String()
}

// Can reports whether the request's user may use the named route.
func (t *Table) Can(c echo.Context, name string) bool {
	return t.Named(name).Access.Allows(CurrentUser(c))
}
