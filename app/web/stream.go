package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/live"
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
