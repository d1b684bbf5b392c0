package pages

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func (h Postmortems) ActionCreate(c echo.Context) error {
	ctx := c.Request().Context()
	inc, pm, err := h.loadPostmortem(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	in := models.NewActionItem{ActionItemInput: actionInput(form), ComponentSlug: form.Get("component")}
	_, err = models.CreatePostmortemActionItem(ctx, h.DB, web.Actor(c), pm.ID, in)
	if ve, ok := models.AsValidation(err); ok {
		f := views.FormFrom(form).WithErrors(ve.Fields, ve.Global)
		return h.renderPostmortem(c, http.StatusUnprocessableEntity, inc, pm, pmOverrides{actionForm: &f})
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Action item added.")
	return h.Redirect(c, h.Path("postmortems.show", inc.Key())+"#pm-actions")
}
