package pages

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func (h Postmortems) People(c echo.Context) error {
	inc, pm, err := h.loadPostmortem(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	perr := &models.ValidationError{}
	in := models.PostmortemPeople{OwnerID: optionalUserID(form, "owner", perr), FacilitatorID: optionalUserID(form, "facilitator", perr), DueDate: form.Get("due_date")}
	up := pm
	if err = perr.Err(); err == nil {
		up, err = models.UpdatePostmortemPeople(c.Request().Context(), h.DB, web.Actor(c), pm.ID, web.AtoiOr(form.Get("version"), -1), in)
	}
	f := views.FormFrom(form)
	status := http.StatusOK
	if ve, ok := models.AsValidation(err); ok {
		f, status = f.WithErrors(ve.Fields, ve.Global), http.StatusUnprocessableEntity
	} else if ce, ok := models.AsConflict(err); ok {
		cur := ce.Current.(*models.Postmortem)
		f = f.WithErrors(nil, []string{"Someone else changed the people or due date a moment ago (now: owner " + orNobody(userLabel(cur.Owner)) +
			", facilitator " + orNobody(userLabel(cur.Facilitator)) + ", due " + orNobody(datePtrString(cur.DueDate)) + "). Your choices are below; save again to keep them."})
		status, up = http.StatusConflict, cur
	} else if err != nil {
		return err
	}
	if status == http.StatusOK {
		if !web.IsHTMX(c) {
			h.Flash(c, "ok", "Saved.")
			return h.Redirect(c, h.Path("postmortems.show", inc.Key()))
		}
		f = views.NewForm().Set("owner", idString(up.OwnerID)).Set("facilitator", idString(up.FacilitatorID)).Set("due_date", datePtrString(up.DueDate))
	}
	if !web.IsHTMX(c) {
		return h.renderPostmortem(c, status, inc, up, pmOverrides{people: &f})
	}
	m, err := h.postmortemPage(c, inc, up, pmOverrides{people: &f})
	if err != nil {
		return err
	}
	return h.Render(c, status, views.PostmortemPeopleCard(m))
}

func orNobody(s string) string {
	if s == "" {
		return "nobody"
	}
	return s
}
