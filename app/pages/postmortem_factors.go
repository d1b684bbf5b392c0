package pages

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func (h Postmortems) FactorCreate(c echo.Context) error {
	inc, pm, err := h.loadPostmortem(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	_, err = models.AddPostmortemFactor(c.Request().Context(), h.DB, web.Actor(c), pm.ID,
		models.FactorInput{Kind: form.Get("kind"), Title: form.Get("title"), Description: form.Get("description")})
	var o pmOverrides
	status := http.StatusOK
	if ve, ok := models.AsValidation(err); ok {
		f := views.FormFrom(form).WithErrors(ve.Fields, ve.Global)
		o.factorForm, status = &f, http.StatusUnprocessableEntity
	} else if err != nil {
		return err
	}
	return h.renderFactors(c, status, inc, pm, o)
}

func (h Postmortems) renderFactors(c echo.Context, status int, inc *models.Incident, pm *models.Postmortem, o pmOverrides) error {
	if !web.IsHTMX(c) {
		if status == http.StatusOK {
			return h.Redirect(c, h.Path("postmortems.show", inc.Key())+"#pm-factors")
		}
		return h.renderPostmortem(c, status, inc, pm, o)
	}
	m, err := h.postmortemPage(c, inc, pm, o)
	if err != nil {
		return err
	}
	return h.Render(c, status, views.FactorsBlock(m))
}

func (h Postmortems) FactorDelete(c echo.Context) error {
	inc, pm, err := h.loadPostmortem(c)
	if err != nil {
		return err
	}
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	if err := models.DeletePostmortemFactor(c.Request().Context(), h.DB, web.Actor(c), pm.ID, id); err != nil {
		return err
	}
	return h.renderFactors(c, http.StatusOK, inc, pm, pmOverrides{})
}
