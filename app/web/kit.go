// Package web is what every handler of Debrief's pages, JSON API and live
// streams shares: the route table, the request's user and form, rendering,
// redirects and flashes, and the one error mapper. Handlers live in
// app/pages, app/api and app/streams, each feature on a small handler type
// that embeds *Kit; app wires them into one route table.
package web

import (
	"context"
	"log/slog"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/jobs"
	"github.com/debrief-sre/debrief/app/live"
	"github.com/debrief-sre/debrief/app/notify"
	"github.com/debrief-sre/debrief/models"
)

// Kit holds what handlers share. app.New builds one per server.
type Kit struct {
	// DB is the database, carrying the server's clock.
	DB  *gorm.DB
	Log *slog.Logger
	// Now is the server's clock (tests move it).
	Now func() time.Time
	// Location is the instance's time zone: the default for viewers
	// without one, and the zone of calendar days and aggregations.
	Location *time.Location
	// BaseURL is the externally visible URL (always set: app.New has a
	// default).
	BaseURL string
	Version string

	Sessions *scs.SessionManager
	Live     *live.Broker
	Jobs     *jobs.Queue
	// Mailer is the configured SMTP mailer, nil without mail.
	Mailer *notify.Mailer
	// Routes is the route table, set once it is built.
	Routes *Table
}

// Path returns the path of the named route with params filled in.
func (k *Kit) Path(name string, params ...any) string { return k.Routes.Path(name, params...) }

// Can reports whether the request's user may use the named route, by the
// route's access level in the table.
func (k *Kit) Can(c echo.Context, name string) bool { return k.Routes.Can(c, name) }

// Today is the current date in the instance's time zone (cadence and due
// dates are calendar dates there).
func (k *Kit) Today() models.Date { return models.Today(k.Now(), k.Location) }

// ExternalURL is the site's address for links that leave the browser
// (mails, calendar feeds, OIDC redirects). It is the configured base URL,
// never the request's Host header, which any client can set.
func (k *Kit) ExternalURL(echo.Context) string { return k.BaseURL }

// Ctx is the request's context.
func Ctx(c echo.Context) context.Context { return c.Request().Context() }
