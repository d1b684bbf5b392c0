package web

import (
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// ResolveFilter reads the filter table t from the query v for the
// request's user ("me"): the values (nil only with a database error) and
// a *models.ValidationError naming each bad parameter.
func (k *Kit) ResolveFilter(c echo.Context, t *models.FilterTable, v url.Values) (*models.ResolvedFilter, error) {
	return models.ResolveFilter(Ctx(c), k.DB, t, v, CurrentUser(c))
}

// FilterChips are the active filters of r as chips, each linking to path
// with the parameters keep minus its own.
func FilterChips(r *models.ResolvedFilter, path string, keep url.Values) []views.FilterChip {
	var out []views.FilterChip
	for _, ch := range r.Chips() {
		rest := url.Values{}
		for k, vs := range keep {
			if k != ch.Key {
				rest[k] = append([]string(nil), vs...)
			}
		}
		u := path
		if len(rest) > 0 {
			u += "?" + rest.Encode()
		}
		out = append(out, views.FilterChip{Key: ch.Key, Label: ch.Label, RemoveURL: u})
	}
	return out
}
