package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/views"
)

// sessionKey marks a request whose session was loaded (flashes live there).
const sessionKey = "debrief.session"

// MarkSessionLoaded records that the request's session is loaded.
func MarkSessionLoaded(c echo.Context) { c.Set(sessionKey, true) }

func sessionLoaded(c echo.Context) bool {
	loaded, _ := c.Get(sessionKey).(bool)
	return loaded
}

// Render writes a templ component with the status. It renders into a
// buffer first, so a failing template is a clean 500, never half a page.
func (k *Kit) Render(c echo.Context, status int, comp templ.Component) error {
	var buf bytes.Buffer
	if err := comp.Render(ViewCtx(c), &buf); err != nil {
		return fmt.Errorf("web: render: %w", err)
	}
	if IsHTMX(c) {
		c.Response().Header().Add("Vary", "HX-Request")
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// RenderFragment renders a component to a string (an SSE message, a part
// of a JSON answer) in ctx, which should come from ViewCtx.
func RenderFragment(ctx context.Context, comp templ.Component) (string, error) {
	var buf bytes.Buffer
	if err := comp.Render(ctx, &buf); err != nil {
		return "", fmt.Errorf("web: render fragment: %w", err)
	}
	return buf.String(), nil
}

// ViewCtx is the context components render in: the request's (route
// names, permissions, zone), with the page model once Page built it.
func ViewCtx(c echo.Context) context.Context {
	ctx := c.Request().Context()
	if p, ok := c.Get(pageKey).(*views.Page); ok {
		ctx = views.WithPage(ctx, p)
	}
	return ctx
}

// Page builds the layout model for the current request: the viewer, the
// CSRF token and the flashes waiting for them.
func (k *Kit) Page(c echo.Context, title, section string) views.Page {
	p := views.Page{
		Title:     title,
		Section:   section,
		RequestID: RequestID(c),
		Version:   k.Version,
		Now:       k.Now(),
	}
	if u := CurrentUser(c); u != nil {
		p.User = &views.Viewer{ID: u.ID, Name: u.Name, Email: u.Email, Role: string(u.Role), TimeZone: u.Location(k.Location).String()}
	}
	p.CSRF = k.CSRFToken(c)
	if sessionLoaded(c) {
		if list, ok := k.Sessions.Pop(Ctx(c), "flash").([]string); ok {
			for _, f := range list {
				kind, msg, _ := strings.Cut(f, "|")
				p.Flashes = append(p.Flashes, views.Flash{Kind: kind, Message: msg})
			}
		}
	}
	c.Set(pageKey, &p)
	return p
}

// Redirect sends the browser to path: a 303 for normal requests, an
// HX-Redirect header for htmx requests (which would otherwise swap the
// target page into a fragment).
func (k *Kit) Redirect(c echo.Context, path string) error {
	if IsHTMX(c) {
		c.Response().Header().Set("HX-Redirect", path)
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, path)
}

// Flash stores a message for the next page; kind is ok, warn, bad or info.
func (k *Kit) Flash(c echo.Context, kind, msg string) {
	ctx := Ctx(c)
	list, _ := k.Sessions.Get(ctx, "flash").([]string)
	k.Sessions.Put(ctx, "flash", append(list, kind+"|"+msg))
}

// WriteJSON answers with a JSON body.
func WriteJSON(c echo.Context, status int, v any) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	c.Response().WriteHeader(status)
	return EncodeJSON(c.Response(), v)
}

// EncodeJSON writes v as JSON with HTML-sensitive characters escaped.
func EncodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	return enc.Encode(v)
}
