package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

type eventJSON struct {
	At    time.Time `json:"at"`
	Actor string    `json:"actor"`
	From  string    `json:"from"`
	To    string    `json:"to"`
	Note  string    `json:"note"`
}

// apiActionHistory is an item's append-only status history, oldest first.
func (h Actions) History(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := models.GetActionItem(ctx, h.DB, id); err != nil {
		return err
	}
	hist, err := models.ActionItemHistory(ctx, h.DB, id)
	if err != nil {
		return err
	}
	out := make([]eventJSON, 0, len(hist))
	for _, e := range hist {
		out = append(out, eventJSON{At: e.At.UTC(), Actor: e.ActorName, From: e.FromStatus, To: e.ToStatus, Note: e.Note})
	}
	return web.WriteJSON(c, http.StatusOK, listPage[eventJSON]{Items: out})
}
