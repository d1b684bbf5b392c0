package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

func (h Reviews) FindingList(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	rows, err := models.ListReviewFindings(c.Request().Context(), h.DB, r.ID)
	if err != nil {
		return err
	}
	items := make([]findingJSON, 0, len(rows))
	for i := range rows {
		items = append(items, toFindingJSON(&rows[i].Finding, r.Component.Slug, rows[i].CarriedOver))
	}
	return web.WriteJSON(c, http.StatusOK, listPage[findingJSON]{Items: items})
}

type findingCreateJSON struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Risk        string `json:"risk"`
	QuestionKey string `json:"question_key"`
}

func (h Reviews) FindingCreate(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	var in findingCreateJSON
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	fd, err := models.CreateFinding(c.Request().Context(), h.DB, web.Actor(c), r.ID, models.FindingInput{Title: in.Title, Description: in.Description, Risk: in.Risk, QuestionKey: in.QuestionKey})
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusCreated, toFindingJSON(fd, r.Component.Slug, false))
}
