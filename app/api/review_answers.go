package api

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

type answerInputJSON struct {
	State    string   `json:"state"`
	Reason   string   `json:"reason"`
	Notes    string   `json:"notes"`
	Evidence []string `json:"evidence"`
	Version  *int     `json:"version"`
}

// apiAnswerPut saves one answer; version is required, so a stale write
// answers 409 with the current answer.
func (h Reviews) AnswerPut(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	key := c.Param("question_key")
	if _, _, _, ok := r.Question(key); !ok {
		return fmt.Errorf("app: question %q: %w", key, models.ErrNotFound)
	}
	var in answerInputJSON
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if in.Version == nil {
		return models.FieldError("version", "send the version of the answer you read (GET the review), so edits by others are not overwritten")
	}
	a, err := models.SaveAnswer(c.Request().Context(), h.DB, web.Actor(c), r.ID, key, *in.Version, models.AnswerInput{
		State: in.State, Reason: in.Reason, Notes: in.Notes, Evidence: in.Evidence})
	if err != nil {
		return conflictJSON(err, toAnswerJSON)
	}
	return web.WriteJSON(c, http.StatusOK, toAnswerJSON(a))
}
