package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

type commentJSON struct {
	ID        int64     `json:"id"`
	Author    string    `json:"author"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

func (h Actions) Comments(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := models.GetActionItem(ctx, h.DB, id); err != nil {
		return err
	}
	cs, err := models.ActionComments(ctx, h.DB, id)
	if err != nil {
		return err
	}
	out := make([]commentJSON, 0, len(cs))
	for _, cm := range cs {
		out = append(out, commentJSON{ID: cm.ID, Author: cm.AuthorName, Body: cm.Body, CreatedAt: cm.CreatedAt.UTC()})
	}
	return web.WriteJSON(c, http.StatusOK, listPage[commentJSON]{Items: out})
}

func (h Actions) CommentCreate(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Body string `json:"body"`
	}
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	cm, err := models.AddActionComment(c.Request().Context(), h.DB, web.Actor(c), id, in.Body)
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusCreated, commentJSON{ID: cm.ID, Author: cm.AuthorName, Body: cm.Body, CreatedAt: cm.CreatedAt.UTC()})
}
