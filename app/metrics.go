package app

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/web"
)

type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	handler  echo.HandlerFunc
}

func newMetrics(reg *prometheus.Registry, db *gorm.DB) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "debrief_http_requests_total",
			Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "debrief_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern and method.",
			Buckets: []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	for _, c := range []prometheus.Collector{
		m.requests, m.latency,
		collectors.NewDBStatsCollector(sqlDB, "debrief"),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	m.handler = echo.WrapHandler(promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg, DisableCompression: true}))
	return m, nil
}

func (m *metrics) middleware(now func() time.Time) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := now()
			err := next(c)
			status := c.Response().Status
			if err != nil {
				status = web.Explain(err).Status
			}
			route := c.Path()
			if route == "" {
				route = "unmatched"
			}
			method := c.Request().Method
			m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
			m.latency.WithLabelValues(route, method).Observe(now().Sub(start).Seconds())
			return err
		}
	}
}

// metricsHandler serves Prometheus metrics; with a MetricsToken only to
// scrapers that send it as a bearer token (compared in constant time).
func (s *Server) metricsHandler(c echo.Context) error {
	if s.cfg.MetricsToken != "" {
		tok, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(s.cfg.MetricsToken)) != 1 {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="debrief metrics"`)
			return c.String(http.StatusUnauthorized, "metrics need Authorization: Bearer DEBRIEF_METRICS_TOKEN\n")
		}
	}
	return s.metrics.handler(c)
}
