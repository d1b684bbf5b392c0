package app

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models/dbtest"
)

func newTestServer(t *testing.T) *Server {
	t.Helper()
	s, err := New(Config{Version: "test"}, Deps{DB: dbtest.New(t, "sqlite"), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPanicBecomesFriendly500(t *testing.T) {
	s := newTestServer(t)
	s.e.GET("/boom", func(echo.Context) error { panic("kaboom") })
	s.e.GET("/api/v1/boom", func(echo.Context) error { panic("kaboom") })
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/boom", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "Something went wrong") || strings.Contains(rec.Body.String(), "kaboom") {
		t.Fatalf("panic page: %d %s", rec.Code, rec.Body.String())
	}
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/boom", nil))
	if rec.Code != 500 || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("API panic: %d %s", rec.Code, rec.Header())
	}
}
