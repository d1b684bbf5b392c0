package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

type transitionJSON struct {
	Action        string `json:"action"`
	Decision      string `json:"decision"`
	DecisionNotes string `json:"decision_notes"`
}

// apiReviewTransition moves a review: start, submit, reopen, complete
// (with decision) or archive.
func (h Reviews) Transition(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	var in transitionJSON
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	r, err := models.TransitionReview(c.Request().Context(), h.DB, web.Actor(c), id, in.Action, models.SignOff{Decision: in.Decision, Notes: in.DecisionNotes})
	if err != nil {
		return err
	}
	full, err := h.fullReviewJSON(c, r)
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusOK, full)
}
