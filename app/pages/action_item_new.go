package pages

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func (b base) actionFormModel(c echo.Context, f views.Form, src actionSource) (views.ActionForm, error) {
	ctx := c.Request().Context()
	owners, err := b.userOptions(ctx, models.RoleMember)
	if err != nil {
		return views.ActionForm{}, err
	}
	teams, err := b.teamOptions(ctx)
	if err != nil {
		return views.ActionForm{}, err
	}
	return views.ActionForm{Form: f, Owners: owners, Teams: teams, ContextLabel: src.label, Hidden: src.hidden}, nil
}

func (h Actions) New(c echo.Context) error {
	src, err := h.resolveActionSource(c, c.QueryParams())
	if err != nil {
		return err
	}
	f := views.NewForm().Set("priority", models.PriorityMedium).Set("owner", web.CurrentUser(c).Email)
	if src.team != "" {
		f.Set("team", src.team)
	}
	for k, v := range c.QueryParams() {
		if k == "title" || k == "description" || k == "priority" {
			f.Set(k, v[0])
		}
	}
	m, err := h.actionFormModel(c, f, src)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.ActionItemFormPage(h.Page(c, "New action item", "actions"), m))
}

func actionInput(form url.Values) models.ActionItemInput {
	return models.ActionItemInput{
		Title: form.Get("title"), Description: form.Get("description"), Priority: form.Get("priority"),
		Owner: form.Get("owner"), Team: form.Get("team"), DueDate: form.Get("due_date"), ExternalURL: form.Get("external_url"),
	}
}

func (h Actions) Create(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	in, err := actionRefs(form)
	if err != nil {
		return err
	}
	in.ActionItemInput = actionInput(form)
	a, err := models.CreateActionItem(ctx, h.DB, web.Actor(c), in)
	if models.IsReferenceError(err) {
		return fmt.Errorf("action item source: %w (%s)", models.ErrNotFound, err)
	}
	if ve, ok := models.AsValidation(err); ok {
		src, serr := h.resolveActionSource(c, form)
		if serr != nil {
			return serr
		}
		m, merr := h.actionFormModel(c, views.FormFrom(form).WithErrors(ve.Fields, ve.Global), src)
		if merr != nil {
			return merr
		}
		return h.Render(c, http.StatusUnprocessableEntity, views.ActionItemFormPage(h.Page(c, "New action item", "actions"), m))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Action item created.")
	if next := web.SafeNext(form.Get("next")); form.Get("next") != "" {
		return h.Redirect(c, next)
	}
	return h.Redirect(c, h.Path("actions.show", a.ID))
}
