package app

import (
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
)

// insightFilter reads the filters every insight page and endpoint shares
// (models.InsightFilters: the incident list's date range, team,
// component, severity and tag, and tz, an IANA zone; default
// DEBRIEF_TIMEZONE). Dates are days in that zone. A bad value is a
// *models.ValidationError naming the parameter; the scope and the
// parameters as read (nil only with a database error) come with it.
func (s *Server) insightFilter(c echo.Context) (models.InsightScope, *models.ResolvedFilter, error) {
	res, err := s.kit.ResolveFilter(c, models.InsightFilters, c.QueryParams())
	if res == nil {
		return models.InsightScope{}, nil, err
	}
	return models.InsightScopeOf(res, s.cfg.Location), res, err
}

// insightScope is the scope of insightFilter.
func (s *Server) insightScope(c echo.Context) (models.InsightScope, error) {
	sc, _, err := s.insightFilter(c)
	return sc, err
}

// insightQuery is the query string of the common parameters plus the
// named page-specific ones, for links between insight pages, downloads and
// chart data.
func insightQuery(q url.Values, extra ...string) string {
	out := url.Values{}
	for _, k := range append(models.InsightFilters.Keys(), extra...) {
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
