package pages

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Actions serves an action item's own pages: new, show, edit, status and comments.
type Actions struct{ base }

func (h Actions) actionDetail(c echo.Context, a *models.ActionItem, statusForm views.Form) (views.ActionDetail, error) {
	ctx := c.Request().Context()
	hist, err := models.ActionItemHistory(ctx, h.DB, a.ID)
	if err != nil {
		return views.ActionDetail{}, err
	}
	m := views.ActionDetail{
		ActionRow: actionRow(h.Today(), a), DescriptionMD: a.Description, StatusReason: a.StatusReason,
		CompletionNote: a.CompletionNote, ExternalURL: a.ExternalURL, Created: h.fmtTime(c, a.CreatedAt),
		Closed: h.fmtTimePtr(c, a.ClosedAt), Version: a.Version, CanEdit: h.Can(c, "actions.update"),
		StatusForm: statusForm,
	}
	if a.Owner != nil {
		m.Owner = a.Owner.Name + " <" + a.Owner.Email + ">"
	}
	if a.Creator != nil {
		m.Creator = a.Creator.Name
	}
	if a.Component != nil {
		m.ComponentName, m.ComponentSlug = a.Component.Name, a.Component.Slug
	}
	if err := h.fillActionLinks(c, a, &m); err != nil {
		return m, err
	}
	if err := h.fillActionFollowUp(c, a, &m); err != nil {
		return m, err
	}
	for _, e := range hist {
		m.History = append(m.History, views.ActionEvent{At: h.fmtTime(c, e.At), Actor: e.ActorName, From: e.FromStatus, To: e.ToStatus, Note: e.Note})
	}
	return m, nil
}

func (h Actions) Show(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	a, err := models.GetActionItem(c.Request().Context(), h.DB, id)
	if err != nil {
		return err
	}
	m, err := h.actionDetail(c, a, views.NewForm().Set("status", a.Status))
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.ActionItemPage(h.Page(c, a.Title, "actions"), m))
}

func (h Actions) Status(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	a, err := models.ChangeActionStatus(ctx, h.DB, web.Actor(c), id, web.AtoiOr(form.Get("version"), 0), form.Get("status"), form.Get("note"))
	var ce *models.ConflictError
	switch {
	case errors.Is(err, models.ErrInvalidState):
		h.Flash(c, "warn", "The item already has that status.")
		return h.Redirect(c, h.Path("actions.show", id))
	case errors.As(err, &ce):
		h.Flash(c, "warn", "Someone else changed this item just now; here it is as it stands. Change its status again if you still need to.")
		return h.Redirect(c, h.Path("actions.show", id))
	case err != nil:
		ve, ok := models.AsValidation(err)
		if !ok {
			return err
		}
		cur, gerr := models.GetActionItem(ctx, h.DB, id)
		if gerr != nil {
			return gerr
		}
		m, merr := h.actionDetail(c, cur, views.FormFrom(form).WithErrors(ve.Fields, ve.Global))
		if merr != nil {
			return merr
		}
		return h.Render(c, http.StatusUnprocessableEntity, views.ActionItemPage(h.Page(c, cur.Title, "actions"), m))
	}
	h.Flash(c, "ok", "Status changed to "+models.ActionStatusLabel(a.Status)+".")
	if next := form.Get("next"); next != "" {
		return h.Redirect(c, web.SafeNext(next))
	}
	return h.Redirect(c, h.Path("actions.show", id))
}
