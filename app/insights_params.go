package app

import (
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
)

// insightParams are the query parameters every insight page and endpoint
// shares: the common filters and the time zone. Page-specific ones
// (interval, weekdays_only, metric, date) are read by their handlers.
var insightParams = []string{"from", "to", "team", "component", "severity", "tag", "tz"}

// insightScope reads the common filters (date range, team, component,
// severity, tag — the incident list's meaning) and the time zone (tz, an
// IANA name; default DEBRIEF_TIMEZONE). Dates are days in that zone. A bad
// value is a validation error naming the parameter.
func (s *Server) insightScope(c echo.Context) (models.InsightScope, error) {
	q := c.QueryParams()
	loc := s.cfg.Location
	v := &models.ValidationError{}
	if name := strings.TrimSpace(q.Get("tz")); name != "" {
		l, err := loadZone(name)
		if err != nil {
			v.Add("tz", "Choose a time zone by its IANA name, like Europe/Berlin or America/New_York.")
		} else {
			loc = l
		}
	}
	f, err := s.parseIncidentFilter(c, q, loc)
	if ve, ok := models.AsValidation(err); ok {
		for k, msg := range ve.Fields {
			v.Add(k, msg)
		}
	} else if err != nil {
		return models.InsightScope{}, err
	}
	// Only the insight filters count here; status, text and sort belong
	// to the list.
	f.Statuses, f.Query, f.Sort = nil, "", ""
	return models.InsightScope{Filter: f, Location: loc}, v.Err()
}

// loadZone loads an IANA zone, refusing the process-dependent "Local".
func loadZone(name string) (*time.Location, error) {
	if name == "Local" || strings.ContainsAny(name, " '\"\\") {
		return nil, errBadZone
	}
	return time.LoadLocation(name)
}

var errBadZone = models.FieldError("tz", "unknown time zone")

// insightQuery is the query string of the common parameters plus the
// named page-specific ones, for links between insight pages, downloads and
// chart data.
func insightQuery(q url.Values, extra ...string) string {
	out := url.Values{}
	for _, k := range append(append([]string{}, insightParams...), extra...) {
		for _, v := range q[k] {
			if strings.TrimSpace(v) != "" {
				out.Add(k, v)
			}
		}
	}
	return out.Encode()
}

// withQuery appends a query string to a path.
func withQuery(path, query string) string {
	if query == "" {
		return path
	}
	return path + "?" + query
}
