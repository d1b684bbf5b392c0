package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// apiSeverity is a severity in the API.
type apiSeverity struct {
	Name        string `json:"name"`
	Rank        int    `json:"rank"`
	Description string `json:"description"`
	Color       string `json:"color"`
}

func (h Incidents) Severities(c echo.Context) error {
	list, err := models.ListSeverities(c.Request().Context(), h.DB)
	if err != nil {
		return err
	}
	items := make([]apiSeverity, 0, len(list))
	for _, sv := range list {
		items = append(items, apiSeverity{Name: sv.Name, Rank: sv.Rank, Description: sv.Description, Color: sv.Color})
	}
	return web.WriteJSON(c, http.StatusOK, listPage[apiSeverity]{Items: items})
}
