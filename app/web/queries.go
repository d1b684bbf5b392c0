package web

import (
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/insights"
)

// Query decoding that pages, downloads and the API share. Filters come
// from the declarative tables in models (ResolveFilter); these are the
// few parameters outside them and the mappings every caller needs.

// ActionFilter is an action item list query read from the parameters.
type ActionFilter struct {
	Query models.ActionQuery
	// Res holds the parameters as read: Res.Params the known, non-empty
	// ones (for links and forms).
	Res *models.ResolvedFilter
	// Err is a *models.ValidationError naming the parameters that do not
	// parse or name nothing; the query then matches nothing.
	Err error
}

// ActionFilter reads the action item list parameters (models.ActionFilters)
// from v; the error is a database error only.
func (k *Kit) ActionFilter(c echo.Context, v url.Values) (ActionFilter, error) {
	res, err := k.ResolveFilter(c, models.ActionFilters, v)
	if res == nil {
		return ActionFilter{}, err
	}
	return ActionFilter{Query: models.ActionQueryOf(res, k.Now(), k.Location), Res: res, Err: err}, nil
}

// ActionsURL is the action item list with the parameters.
func (k *Kit) ActionsURL(v url.Values) string { return k.Path("actions.index") + EncodeQuery(v) }

// FollowThroughScope is a dashboard scope read from the parameters
// (models.FollowThroughFilters).
type FollowThroughScope struct {
	Scope models.FollowThroughScope
	// Res holds the parameters as read.
	Res *models.ResolvedFilter
	// Base holds the scope's selection (team, owner, component, severity,
	// tag) as list parameters, for links.
	Base url.Values
	// Errors are messages per bad parameter, or about the period.
	Errors map[string]string
}

// FollowThroughScope reads a scope from v; the error is a database error
// only.
func (k *Kit) FollowThroughScope(c echo.Context, v url.Values) (FollowThroughScope, error) {
	res, err := k.ResolveFilter(c, models.FollowThroughFilters, v)
	if res == nil {
		return FollowThroughScope{}, err
	}
	sc, err := models.FollowThroughScopeOf(res, k.Now(), k.Location)
	out := FollowThroughScope{Scope: sc, Res: res, Base: res.Canonical(models.FollowThroughSelection...), Errors: map[string]string{}}
	if ve, ok := models.AsValidation(err); ok {
		out.Errors = ve.Fields
	}
	return out, nil
}

// InsightFilter reads the filters every insight page and endpoint shares
// (models.InsightFilters: the incident list's date range, team,
// component, severity and tag, and tz, an IANA zone; default the
// instance's). Dates are days in that zone. A bad value is a
// *models.ValidationError naming the parameter; the scope and the
// parameters as read (nil only with a database error) come with it.
func (k *Kit) InsightFilter(c echo.Context) (insights.Scope, *models.ResolvedFilter, error) {
	res, err := k.ResolveFilter(c, models.InsightFilters, c.QueryParams())
	if res == nil {
		return insights.Scope{}, nil, err
	}
	return insights.ScopeOf(res, k.Location), res, err
}

// InsightScope is the scope of InsightFilter.
func (k *Kit) InsightScope(c echo.Context) (insights.Scope, error) {
	sc, _, err := k.InsightFilter(c)
	return sc, err
}

// HistoryLimit caps "today in incident history".
const HistoryLimit = 100

// ComponentLimit is how many components the top lists show.
const ComponentLimit = 10

// InsightDate reads ?date=YYYY-MM-DD, defaulting to today in the zone.
func (k *Kit) InsightDate(c echo.Context, loc *time.Location) (models.Date, error) {
	raw := strings.TrimSpace(c.QueryParam("date"))
	if raw == "" {
		return models.Today(k.Now(), loc), nil
	}
	d, err := models.ParseDate(raw)
	if err != nil {
		return d, models.FieldError("date", "Enter a date like 2026-03-01.")
	}
	return d, nil
}

// DurationMetricParam reads ?metric=…, defaulting to time_to_resolve.
func DurationMetricParam(c echo.Context) (insights.DurationMetric, error) {
	key := strings.TrimSpace(c.QueryParam("metric"))
	if key == "" {
		key = "time_to_resolve"
	}
	m, ok := insights.LookupDurationMetric(key)
	if !ok {
		return m, models.FieldError("metric", "metric is one of time_to_detect, time_to_acknowledge, time_to_mitigate, time_to_resolve")
	}
	return m, nil
}

// IntervalParam reads ?interval=week|month (default month).
func IntervalParam(c echo.Context) (string, error) {
	switch v := c.QueryParam("interval"); v {
	case "", insights.IntervalMonth:
		return insights.IntervalMonth, nil
	case insights.IntervalWeek:
		return v, nil
	}
	return "", models.FieldError("interval", "interval is week or month")
}

// BoolParam reads a checkbox-style parameter: true, 1, on or yes.
func BoolParam(c echo.Context, name string) bool {
	switch strings.ToLower(c.QueryParam(name)) {
	case "true", "1", "on", "yes":
		return true
	}
	return false
}

// InsightQuery is the query string of the common insight parameters plus
// the named page-specific ones, for links between insight pages,
// downloads and chart data.
func InsightQuery(q url.Values, extra ...string) string {
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

// WithQuery appends a query string to a path.
func WithQuery(path, query string) string {
	if query == "" {
		return path
	}
	return path + "?" + query
}

// CloneValues copies query values.
func CloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// EncodeQuery is "?query" (empty for no values).
func EncodeQuery(v url.Values) string {
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// IncidentFilter reads the incident list filters shared by the page, the
// CSV export and the API (models.IncidentFilters); days are taken in loc.
// A bad value is a *models.ValidationError naming the parameter, with the
// filter of the good ones.
func (k *Kit) IncidentFilter(c echo.Context, q url.Values, loc *time.Location) (models.IncidentFilter, error) {
	res, err := k.ResolveFilter(c, models.IncidentFilters, q)
	if res == nil {
		return models.IncidentFilter{}, err
	}
	return models.IncidentFilterOf(res, loc), err
}
