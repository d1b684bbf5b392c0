package app

import (
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// The query parameters of the action item list (the page, its CSV
// export, the dashboard's links and the API) are declared in
// models.ActionFilters, which lists them.

// actionFilter is a list query read from the parameters.
type actionFilter struct {
	Query models.ActionQuery
	// Res holds the parameters as read: Res.Params the known, non-empty
	// ones (for links and forms).
	Res *models.ResolvedFilter
	// Err is a *models.ValidationError naming the parameters that do not
	// parse or name nothing; the query then matches nothing.
	Err error
}

// parseActionFilter reads the list parameters from v; the error is a
// database error only.
func (s *Server) parseActionFilter(c echo.Context, v url.Values) (actionFilter, error) {
	res, err := s.kit.ResolveFilter(c, models.ActionFilters, v)
	if res == nil {
		return actionFilter{}, err
	}
	return actionFilter{Query: models.ActionQueryOf(res, s.now(), s.cfg.Location), Res: res, Err: err}, nil
}

// chips are the list's active filters, each linking to the list without it.
func (s *Server) actionChips(f actionFilter) []views.FilterChip {
	return web.FilterChips(f.Res, s.reverse("actions.index"), f.Res.Params)
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// encodeQuery is "?query" (empty for no values).
func encodeQuery(v url.Values) string {
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// actionsURL is the list with the parameters.
func (s *Server) actionsURL(v url.Values) string { return s.reverse("actions.index") + encodeQuery(v) }
