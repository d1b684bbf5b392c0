package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
)

// Keys of what the middleware stores on the echo context.
const (
	userKey     = "debrief.user"
	viaTokenKey = "debrief.via_token"
	pageKey     = "debrief.page"
)

// SetUser records the signed-in user of the request; viaToken says the
// user came with an API token (no cookie, so no CSRF check).
func SetUser(c echo.Context, u *models.User, viaToken bool) {
	c.Set(userKey, u)
	if viaToken {
		c.Set(viaTokenKey, true)
	}
}

// CurrentUser is the signed-in user, or nil.
func CurrentUser(c echo.Context) *models.User {
	u, _ := c.Get(userKey).(*models.User)
	return u
}

// ViaToken reports whether the user signed in with an API token.
func ViaToken(c echo.Context) bool {
	via, _ := c.Get(viaTokenKey).(bool)
	return via
}

// Actor is who performs the request's changes, for the audit trail.
func Actor(c echo.Context) models.Actor { return models.ActorOf(CurrentUser(c), c.RealIP()) }

// IsHTMX reports a request made by htmx (which swaps fragments).
func IsHTMX(c echo.Context) bool { return c.Request().Header.Get("HX-Request") == "true" }

// IsAPI reports a request to the JSON API.
func IsAPI(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, "/api/") }

// RequestID is the request's ID, quoted in logs and error pages.
func RequestID(c echo.Context) string {
	if id := c.Response().Header().Get(echo.HeaderXRequestID); id != "" {
		return id
	}
	return c.Request().Header.Get(echo.HeaderXRequestID)
}

// FormValues parses a urlencoded or multipart form.
func FormValues(c echo.Context) (url.Values, error) {
	v, err := c.FormParams()
	if err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest, "could not read the form")
	}
	return v, nil
}

// PathID reads a positive numeric path parameter; anything else is a 404.
func PathID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, models.ErrNotFound
	}
	return id, nil
}

// AtoiOr is the number in s, or def when s is not one.
func AtoiOr(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}

// SafeNext keeps a "return to" path on this site: anything else is "/".
// A kept path starts with one "/", parses with no scheme or host, and has
// no control characters or backslashes, also once percent-decoded (again
// and again, for double encoding): browsers drop tabs and newlines and
// read "\" as "/", so "/%09/evil.example" would leave the site.
func SafeNext(next string) string {
	if !localPath(next) {
		return "/"
	}
	return next
}

func localPath(p string) bool {
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return false
	}
	// Each decoding is checked until nothing decodes any more; a path that
	// keeps changing after a few rounds is nobody's real link.
	for range 4 {
		if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsRune(p, '\\') ||
			strings.IndexFunc(p, unicode.IsControl) >= 0 {
			return false
		}
		d, err := url.PathUnescape(p)
		if err != nil {
			return false
		}
		if d == p {
			return true
		}
		p = d
	}
	return false
}

// ViewerLocation is the signed-in user's time zone (def without one).
func ViewerLocation(c echo.Context, def *time.Location) *time.Location {
	return CurrentUser(c).Location(def)
}
