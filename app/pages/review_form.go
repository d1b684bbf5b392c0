package pages

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func (h Reviews) reviewFormModel(c echo.Context, f views.Form, editing bool, id int64) (views.ReviewFormModel, error) {
	ctx := c.Request().Context()
	m := views.ReviewFormModel{Form: f, Editing: editing, ID: id}
	comps, err := models.ListComponents(ctx, h.DB, models.ComponentFilter{})
	if err != nil {
		return m, err
	}
	for _, comp := range comps {
		m.Components = append(m.Components, views.Option{Value: comp.Slug, Label: comp.Name})
	}
	vs, err := models.PublishedVersions(ctx, h.DB)
	if err != nil {
		return m, err
	}
	counts, err := models.QuestionCounts(ctx, h.DB)
	if err != nil {
		return m, err
	}
	for _, v := range vs {
		m.Templates = append(m.Templates, views.Option{Value: v.Key(), Label: fmt.Sprintf("%s v%d (%s)", v.Name, v.Number, views.Plural(counts[v.ID], "question", "questions"))})
	}
	if m.Facilitators, err = h.userOptions(ctx, models.RoleFacilitator); err != nil {
		return m, err
	}
	m.People, err = h.userOptions(ctx, models.RoleViewer)
	return m, err
}

func (h Reviews) New(c echo.Context) error {
	if err := h.ensureBuiltins(c); err != nil {
		return err
	}
	u := web.CurrentUser(c)
	f := views.NewForm().Set("component", c.QueryParam("component")).Set("template", "operational-readiness")
	if c.QueryParam("template") != "" {
		f.Set("template", c.QueryParam("template"))
	} else if c.QueryParam("component") != "" {
		// A component reviewed before gets the periodic review by default.
		comp, err := models.GetComponentBySlug(c.Request().Context(), h.DB, c.QueryParam("component"))
		if err == nil && comp.LastReviewedAt != nil {
			f.Set("template", "periodic-operational-review")
		}
	}
	if u.Role.Allows(models.RoleFacilitator) {
		f.Set("facilitator", u.Email)
	}
	m, err := h.reviewFormModel(c, f, false, 0)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.ReviewFormPage(h.Page(c, "Start a review", "reviews"), m))
}

func (h Reviews) Create(c echo.Context) error {
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	r, err := models.CreateReview(c.Request().Context(), h.DB, web.Actor(c), models.NewReview{
		Component: form.Get("component"), TemplateKey: form.Get("template"), Title: form.Get("title"),
		Facilitator: form.Get("facilitator"), Participants: form["participants"], ScheduledFor: form.Get("scheduled_for"),
	})
	if ve, ok := models.AsValidation(err); ok {
		m, merr := h.reviewFormModel(c, views.FormFrom(form).WithErrors(ve.Fields, ve.Global), false, 0)
		if merr != nil {
			return merr
		}
		return h.Render(c, http.StatusUnprocessableEntity, views.ReviewFormPage(h.Page(c, "Start a review", "reviews"), m))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Review created. Answering the first question starts it.")
	return h.Redirect(c, h.Path("reviews.show", r.ID))
}

func (h Reviews) Edit(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	f := views.NewForm().Set("title", r.Title).Set("scheduled_for", datePtrString(r.ScheduledFor)).Set("version", strconv.Itoa(r.Version))
	if r.Facilitator != nil {
		f.Set("facilitator", r.Facilitator.Email)
	}
	for _, p := range r.Participants {
		f.Multi["participants"] = append(f.Multi["participants"], p.Email)
	}
	m, err := h.reviewFormModel(c, f, true, r.ID)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.ReviewFormPage(h.Page(c, "Edit "+r.Title, "reviews"), m))
}

func (h Reviews) Update(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	if !models.CanManageReview(web.CurrentUser(c), r) {
		return models.ErrForbidden
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	_, err = models.EditReview(c.Request().Context(), h.DB, web.Actor(c), r.ID, web.AtoiOr(form.Get("version"), 0), models.ReviewDetails{
		Title: form.Get("title"), Facilitator: form.Get("facilitator"), Participants: form["participants"], ScheduledFor: form.Get("scheduled_for"),
	})
	status := http.StatusUnprocessableEntity
	var ce *models.ConflictError
	switch {
	case err == nil:
		h.Flash(c, "ok", "Review saved.")
		return h.Redirect(c, h.Path("reviews.show", r.ID))
	case errors.As(err, &ce):
		status = http.StatusConflict
		f.Set("version", strconv.Itoa(ce.Current.(*models.Review).Version))
		f = f.WithErrors(nil, []string{"Someone else changed this review meanwhile. Your changes are below; save again to apply them."})
	default:
		ve, ok := models.AsValidation(err)
		if !ok {
			return err
		}
		f = f.WithErrors(ve.Fields, ve.Global)
	}
	m, err := h.reviewFormModel(c, f, true, r.ID)
	if err != nil {
		return err
	}
	return h.Render(c, status, views.ReviewFormPage(h.Page(c, "Edit "+r.Title, "reviews"), m))
}
