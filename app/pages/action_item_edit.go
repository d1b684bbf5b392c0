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

func actionForm(a *models.ActionItem) views.Form {
	return views.NewForm().Set("title", a.Title).Set("description", a.Description).Set("priority", a.Priority).
		Set("owner", a.OwnerEmail()).Set("team", a.TeamSlug()).Set("due_date", datePtrString(a.DueDate)).
		Set("external_url", a.ExternalURL).Set("version", strconv.Itoa(a.Version))
}

func (h Actions) Edit(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	a, err := models.GetActionItem(c.Request().Context(), h.DB, id)
	if err != nil {
		return err
	}
	m, err := h.actionFormModel(c, actionForm(a), actionSource{})
	if err != nil {
		return err
	}
	m.Editing, m.ID = true, a.ID
	return h.Render(c, http.StatusOK, views.ActionItemFormPage(h.Page(c, "Edit action item", "actions"), m))
}

func (h Actions) Update(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	_, err = models.UpdateActionItem(ctx, h.DB, web.Actor(c), id, web.AtoiOr(form.Get("version"), 0), actionInput(form))
	status := http.StatusUnprocessableEntity
	var ce *models.ConflictError
	if errors.As(err, &ce) {
		status = http.StatusConflict
		f.Set("version", strconv.Itoa(ce.Current.(*models.ActionItem).Version))
		f = f.WithErrors(nil, []string{"Someone else saved this action item while you were editing. Your changes are below and not saved yet; check the item and save again."})
	} else if ve, ok := models.AsValidation(err); ok {
		f = f.WithErrors(ve.Fields, ve.Global)
	} else if err != nil {
		return err
	} else {
		h.Flash(c, "ok", "Action item saved.")
		return h.Redirect(c, h.Path("actions.show", id))
	}
	m, err := h.actionFormModel(c, f, actionSource{})
	if err != nil {
		return err
	}
	m.Editing, m.ID = true, id
	return h.Render(c, status, views.ActionItemFormPage(h.Page(c, "Edit action item", "actions"), m))
}
