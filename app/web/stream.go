package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/live"
	"github.com/debrief-sre/debrief/models"
)

// Watch serves the request as an SSE stream of w's topic until the client
// leaves or the server shuts down. The route must have Stream: true. Check
// access before calling it. Once the stream has started it cannot turn
// into an error page, so later failures are logged and end the stream
// (the browser reconnects and gets a snapshot).
func (k *Kit) Watch(c echo.Context, w live.Watcher) error {
	if r, ok := k.Routes.Of(c); !ok || !r.Stream {
		return fmt.Errorf("web: route %s serves a live stream without Stream: true", c.Path())
	}
	if c.Request().Method == http.MethodHead {
		c.Response().Header().Set(echo.HeaderContentType, "text/event-stream")
		return c.NoContent(http.StatusOK)
	}
	st := live.NewStream(c.Response(), k.Live.Options().Retry)
	// Snapshot and Render get the request's context with the page model
	// (when the handler built one with Page), so fragments can use
	// views.URL and views.CSRFField as in a page.
	ctx := ViewCtx(c)
	if w.Alive == nil {
		w.Alive = k.sessionAlive(c)
	}
	err := k.Live.Watch(ctx, st, live.CursorFrom(c.Request()), w)
	if errors.Is(err, live.ErrShutdown) {
		// The browser retries, reaching another instance or this one restarted.
		return echo.NewHTTPError(http.StatusServiceUnavailable, "Debrief is restarting.")
	}
	if err != nil && !st.Started() {
		return err // the central handler answers (503 while the database is down)
	}
	if err != nil {
		k.Log.ErrorContext(ctx, "live stream failed", "topic", w.Topic, "err", err, "request_id", RequestID(c))
	}
	return nil
}

// sessionAlive answers whether the stream's viewer still holds the session
// the stream was opened with: the session still exists (not signed out),
// still belongs to that user, and the user is neither disabled nor changed
// in role or password since (the session epoch). A database that cannot
// answer keeps the stream: the next heartbeat asks again.
func (k *Kit) sessionAlive(c echo.Context) func(context.Context) bool {
	u := CurrentUser(c)
	if u == nil || ViaToken(c) || k.Sessions == nil {
		return nil
	}
	token := ""
	if ck, err := c.Cookie(k.Sessions.Cookie.Name); err == nil {
		token = ck.Value
	}
	uid, epoch := u.ID, u.SessionEpoch
	return func(ctx context.Context) bool {
		// A fresh context: Load returns a context that already holds a
		// session unchanged, and the stream's request context holds the
		// session as it was when the stream opened.
		lctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		sctx, err := k.Sessions.Load(lctx, token)
		if err != nil {
			return true
		}
		if k.Sessions.GetInt64(sctx, "uid") != uid {
			return false
		}
		now, err := models.GetUser(ctx, k.DB, uid)
		if errors.Is(err, models.ErrNotFound) {
			return false
		}
		if err != nil {
			return true
		}
		return !now.Disabled && now.SessionEpoch == epoch
	}
}
