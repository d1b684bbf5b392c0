// Package views holds Debrief's templ components and the view models they
// render. Views never touch the database: handlers build a view model and
// pass it in.
package views

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/a-h/templ"
)

// Page is what the layout needs about the request being rendered.
type Page struct {
	Title   string
	Section string // nav section to highlight: reviews, incidents, retros, actions, insights, admin
	User    *Viewer
	CSRF    string
	Flashes []Flash
	// Scripts are extra static asset names loaded at the end of the body
	// (for example the chart library, only on pages with charts).
	Scripts   []string
	RequestID string
	Version   string
	// Now is the server's clock at the time of the request (zone names
	// depend on the date).
	Now time.Time
	// SetupNeeded is true while no user exists (first run).
	SetupNeeded bool
}

// Viewer is the signed-in user as the views see them.
type Viewer struct {
	ID       int64
	Name     string
	Email    string
	Role     string
	TimeZone string
	loc      *time.Location
}

// Location returns the viewer's time zone (UTC when unknown).
func (v *Viewer) Location() *time.Location {
	if v == nil {
		return time.UTC
	}
	if v.loc == nil {
		loc, err := time.LoadLocation(v.TimeZone)
		if err != nil {
			loc = time.UTC
		}
		v.loc = loc
	}
	return v.loc
}

// Flash is a one-time message shown at the top of the next page.
type Flash struct {
	Kind    string // ok, warn, bad, info
	Message string
}

// Reverser builds the path of a named route from its parameters.
type Reverser func(name string, params ...any) string

// Permit reports whether the viewer may use the named route. The HTTP
// layer answers it from the route table, the one source of access levels.
type Permit func(routeName string) bool

type ctxKey int

const (
	reverserKey ctxKey = iota
	pageKey
	permitKey
)

// WithPermit stores the viewer's route permissions in ctx for Can.
func WithPermit(ctx context.Context, p Permit) context.Context {
	return context.WithValue(ctx, permitKey, p)
}

// Can reports whether the viewer may use the named route: show a link or
// a form only when its route would accept the viewer.
func Can(ctx context.Context, routeName string) bool {
	p, _ := ctx.Value(permitKey).(Permit)
	return p != nil && p(routeName)
}

// WithReverser stores the route reverser in ctx for URL and Path.
func WithReverser(ctx context.Context, r Reverser) context.Context {
	return context.WithValue(ctx, reverserKey, r)
}

// Path returns the path of the named route with params filled in.
func Path(ctx context.Context, name string, params ...any) string {
	r, _ := ctx.Value(reverserKey).(Reverser)
	if r == nil {
		panic("views: no route reverser in context")
	}
	return r(name, params...)
}

// URL is Path as a templ.SafeURL for href and action attributes.
func URL(ctx context.Context, name string, params ...any) templ.SafeURL {
	return templ.SafeURL(Path(ctx, name, params...))
}

// URLQuery is URL with a query string appended.
func URLQuery(ctx context.Context, query string, name string, params ...any) templ.SafeURL {
	p := Path(ctx, name, params...)
	if query != "" {
		p += "?" + strings.TrimPrefix(query, "?")
	}
	return templ.SafeURL(p)
}

// WithPage stores the page model in ctx so nested components can reach the
// viewer and CSRF token without threading them through every call.
func WithPage(ctx context.Context, p *Page) context.Context {
	return context.WithValue(ctx, pageKey, p)
}

// PageOf returns the page model stored by WithPage (an empty one if none).
func PageOf(ctx context.Context) *Page {
	if p, ok := ctx.Value(pageKey).(*Page); ok && p != nil {
		return p
	}
	return &Page{}
}

// ViewerOf returns the signed-in viewer of the page being rendered, or nil.
func ViewerOf(ctx context.Context) *Viewer { return PageOf(ctx).User }

func csrfHeaders(token string) string {
	b, _ := json.Marshal(map[string]string{"X-CSRF-Token": token})
	return string(b)
}

func pageTitle(t string) string {
	if t == "" {
		return "Debrief"
	}
	return t + " · Debrief"
}

func initials(name string) string {
	f := strings.Fields(name)
	switch len(f) {
	case 0:
		return "?"
	case 1:
		return strings.ToUpper(string([]rune(f[0])[:1]))
	}
	return strings.ToUpper(string([]rune(f[0])[:1]) + string([]rune(f[len(f)-1])[:1]))
}

// navItem is one entry of the main navigation.
type navItem struct {
	Section string
	Label   string
	Route   string
}

var mainNav = []navItem{
	{"reviews", "Reviews", "reviews.index"},
	{"incidents", "Incidents", "incidents.index"},
	{"retros", "Retros", "retros.index"},
	{"actions", "Action items", "actions.index"},
	{"insights", "Insights", "insights.index"},
}

// Itoa formats an int for templates.
func Itoa[T ~int | ~int64 | ~int32](n T) string { return fmt.Sprint(n) }

func queryEscape(s string) string { return url.QueryEscape(s) }

// withScript adds a feature script to the page.
func withScript(p Page, name string) Page {
	p.Scripts = append(append([]string{}, p.Scripts...), name)
	return p
}
