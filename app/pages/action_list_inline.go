package pages

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func (h ActionList) loadRow(c echo.Context) (*models.ActionItem, views.ActionListRow, error) {
	ctx := c.Request().Context()
	id, err := web.PathID(c, "id")
	if err != nil {
		return nil, views.ActionListRow{}, err
	}
	a, err := models.GetActionItem(ctx, h.DB, id)
	if err != nil {
		return nil, views.ActionListRow{}, err
	}
	rows, err := h.actionListRows(ctx, []models.ActionItem{*a})
	if err != nil {
		return nil, views.ActionListRow{}, err
	}
	return a, rows[0], nil
}

func (h ActionList) RowShow(c echo.Context) error {
	_, row, err := h.loadRow(c)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.ActionListRowView(row, h.Can(c, "actions.row.update"), false))
}

func rowForm(a *models.ActionItem) views.Form {
	return views.NewForm().Set("status", a.Status).Set("priority", a.Priority).Set("owner", a.OwnerEmail()).
		Set("due_date", datePtrString(a.DueDate)).Set("version", strconv.Itoa(a.Version))
}

func (h ActionList) RowEdit(c echo.Context) error {
	a, row, err := h.loadRow(c)
	if err != nil {
		return err
	}
	return h.renderRowEditor(c, http.StatusOK, row, rowForm(a), false)
}

func (h ActionList) renderRowEditor(c echo.Context, status int, row views.ActionListRow, f views.Form, conflict bool) error {
	owners, err := h.userOptions(c.Request().Context(), models.RoleMember)
	if err != nil {
		return err
	}
	return h.Render(c, status, views.ActionRowEditor(views.ActionRowEdit{Row: row, Form: f, Owners: owners, Conflict: conflict}))
}

// actionRowUpdate saves an inline edit: owner, due date and priority, and
// a status change with its note, all or nothing.
func (h ActionList) RowUpdate(c echo.Context) error {
	a, row, err := h.loadRow(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	_, err = models.UpdateActionItemInline(c.Request().Context(), h.DB, web.Actor(c), a.ID, models.InlineEdit{
		Version: web.AtoiOr(form.Get("version"), 0), Priority: form.Get("priority"), Owner: form.Get("owner"), DueDate: form.Get("due_date"),
		Status: form.Get("status"), Note: form.Get("note"),
	})
	var ce *models.ConflictError
	switch {
	case errors.As(err, &ce):
		return h.renderRowEditor(c, http.StatusConflict, row, rowForm(a), true)
	case err != nil:
		ve, ok := models.AsValidation(err)
		if !ok {
			return err
		}
		return h.renderRowEditor(c, http.StatusUnprocessableEntity, row, views.FormFrom(form).WithErrors(ve.Fields, ve.Global), false)
	}
	if !web.IsHTMX(c) {
		h.Flash(c, "ok", "Action item saved.")
		return h.Redirect(c, h.Path("actions.index"))
	}
	_, row, err = h.loadRow(c)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.ActionListRowView(row, true, false))
}
