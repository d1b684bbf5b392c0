package pages

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Components serves the component catalogue: the list, a component's page, creating and editing, and comparing its reviews.
type Components struct{ base }

// componentIndex is the catalog with its filters.
func (h Components) Index(c echo.Context) error {
	ctx := c.Request().Context()
	q := c.QueryParams()
	f := views.FormFrom(q)
	filter := models.ComponentFilter{Tag: q.Get("tag"), Review: q.Get("review"), Today: h.Today(), Query: q.Get("q")}
	filter.Tier = web.AtoiOr(q.Get("tier"), 0)
	if slug := q.Get("team"); slug != "" {
		t, err := models.GetTeamBySlug(ctx, h.DB, slug)
		if err != nil {
			return err
		}
		filter.TeamID = t.ID
	}
	comps, err := models.ListComponents(ctx, h.DB, filter)
	if err != nil {
		return err
	}
	total, err := models.CountComponents(ctx, h.DB)
	if err != nil {
		return err
	}
	rows, err := h.componentRows(c, comps)
	if err != nil {
		return err
	}
	teams, err := h.teamOptions(ctx)
	if err != nil {
		return err
	}
	tags, err := models.ComponentTagsInUse(ctx, h.DB)
	if err != nil {
		return err
	}
	m := views.ComponentListModel{Rows: rows, Filter: f, Teams: teams, Total: int(total), CanCreate: h.Can(c, "components.create")}
	for _, t := range tags {
		m.Tags = append(m.Tags, views.Option{Value: t, Label: t})
	}
	return h.Render(c, http.StatusOK, views.Components(h.Page(c, "Components", "reviews"), m))
}

func (b base) componentRows(c echo.Context, comps []models.Component) ([]views.ComponentRow, error) {
	ids := make([]int64, 0, len(comps))
	for _, comp := range comps {
		ids = append(ids, comp.ID)
	}
	counts, err := models.OpenCountsByComponent(c.Request().Context(), b.DB, ids)
	if err != nil {
		return nil, err
	}
	today := b.Today()
	out := make([]views.ComponentRow, 0, len(comps))
	for i := range comps {
		out = append(out, b.componentRow(c, today, &comps[i], counts[comps[i].ID]))
	}
	return out, nil
}

func (b base) componentRow(c echo.Context, today models.Date, comp *models.Component, n models.OpenCounts) views.ComponentRow {
	st := comp.ReviewStateOn(today)
	r := views.ComponentRow{
		Name: comp.Name, Slug: comp.Slug, Tier: comp.Tier, Tags: comp.TagNames(),
		ReviewLabel: st.Label, ReviewKind: st.Kind, LastReviewed: b.fmtDay(c, comp.LastReviewedAt),
		OpenFindings: int(n.Findings), OpenActions: int(n.Actions),
	}
	if comp.Team != nil {
		r.TeamName = comp.Team.Name
	}
	return r
}

// componentShow is a component's page.
func (h Components) Show(c echo.Context) error {
	ctx := c.Request().Context()
	comp, err := models.GetComponentBySlug(ctx, h.DB, c.Param("slug"))
	if err != nil {
		return err
	}
	counts, err := models.OpenCountsByComponent(ctx, h.DB, []int64{comp.ID})
	if err != nil {
		return err
	}
	m := views.ComponentDetail{
		ComponentRow:  h.componentRow(c, h.Today(), comp, counts[comp.ID]),
		DescriptionMD: comp.Description, IntervalDays: comp.ReviewIntervalDays,
		NextDue: datePtrString(comp.NextReviewDue), CanEdit: h.Can(c, "components.update"),
	}
	for _, l := range comp.Links {
		m.Links = append(m.Links, views.LinkView{Title: l.Title, URL: l.URL, Kind: l.Kind})
	}
	items, err := models.ListActionItems(ctx, h.DB, models.ActionItemFilter{ComponentID: comp.ID, OpenOnly: true})
	if err != nil {
		return err
	}
	m.Actions = h.actionRows(items)
	if err := h.fillComponentReviews(c, comp, &m); err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.ComponentPage(h.Page(c, comp.Name, "reviews"), m))
}

func (h Components) componentFormModel(c echo.Context, f views.Form, editing bool, slug string) (views.ComponentForm, error) {
	teams, err := h.teamOptions(c.Request().Context())
	return views.ComponentForm{Form: f, Editing: editing, Slug: slug, Teams: teams}, err
}

func (h Components) New(c echo.Context) error {
	f := views.NewForm().Set("tier", "2")
	m, err := h.componentFormModel(c, f, false, "")
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.ComponentFormPage(h.Page(c, "New component", "reviews"), m))
}

// componentInput reads the component form; bad links and numbers become
// field errors.
func componentInput(form url.Values) (models.ComponentInput, *models.ValidationError) {
	v := &models.ValidationError{}
	in := models.ComponentInput{
		Name: form.Get("name"), Slug: form.Get("slug"), Team: form.Get("team"),
		Description: form.Get("description"), Tags: models.ParseTags(form.Get("tags")),
	}
	in.Tier = web.AtoiOr(form.Get("tier"), -1)
	if d := form.Get("review_interval_days"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil {
			v.Add("review_interval_days", "Enter a whole number of days.")
		}
		in.ReviewIntervalDays = n
	}
	links, err := models.ParseLinks(form.Get("links"))
	if err != nil {
		v.Add("links", "Links "+err.Error()+".")
	}
	in.Links = links
	return in, v
}

func mergeValidation(v *models.ValidationError, err error) error {
	if ve, ok := models.AsValidation(err); ok {
		for k, m := range ve.Fields {
			v.Add(k, m)
		}
		v.Global = append(v.Global, ve.Global...)
		return v
	}
	if err != nil {
		return err
	}
	return v.Err()
}

func (h Components) Create(c echo.Context) error {
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	in, v := componentInput(form)
	var comp *models.Component
	if len(v.Fields) == 0 {
		comp, err = models.CreateComponent(c.Request().Context(), h.DB, web.Actor(c), in)
	} else {
		err = models.ValidateComponentInput(c.Request().Context(), h.DB, in, true)
	}
	if err = mergeValidation(v, err); err != nil {
		if ve, ok := models.AsValidation(err); ok {
			m, merr := h.componentFormModel(c, f.WithErrors(ve.Fields, ve.Global), false, "")
			if merr != nil {
				return merr
			}
			return h.Render(c, http.StatusUnprocessableEntity, views.ComponentFormPage(h.Page(c, "New component", "reviews"), m))
		}
		return err
	}
	h.Flash(c, "ok", "Component "+comp.Name+" created.")
	return h.Redirect(c, h.Path("components.show", comp.Slug))
}

func componentForm(comp *models.Component) views.Form {
	f := views.NewForm()
	f.Set("name", comp.Name).Set("tier", strconv.Itoa(comp.Tier)).Set("description", comp.Description).
		Set("links", models.FormatLinks(comp.Links)).Set("review_interval_days", strconv.Itoa(comp.ReviewIntervalDays)).
		Set("version", strconv.Itoa(comp.Version))
	tags := ""
	for i, t := range comp.TagNames() {
		if i > 0 {
			tags += ", "
		}
		tags += t
	}
	f.Set("tags", tags)
	if comp.Team != nil {
		f.Set("team", comp.Team.Slug)
	}
	return f
}

func (h Components) Edit(c echo.Context) error {
	comp, err := models.GetComponentBySlug(c.Request().Context(), h.DB, c.Param("slug"))
	if err != nil {
		return err
	}
	m, err := h.componentFormModel(c, componentForm(comp), true, comp.Slug)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, views.ComponentFormPage(h.Page(c, "Edit "+comp.Name, "reviews"), m))
}

func (h Components) Update(c echo.Context) error {
	ctx := c.Request().Context()
	comp, err := models.GetComponentBySlug(ctx, h.DB, c.Param("slug"))
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	in, v := componentInput(form)
	if len(v.Fields) == 0 {
		_, err = models.UpdateComponent(ctx, h.DB, web.Actor(c), comp.ID, web.AtoiOr(form.Get("version"), 0), in)
	} else {
		err = models.ValidateComponentInput(ctx, h.DB, in, false)
	}
	var ce *models.ConflictError
	if errors.As(err, &ce) {
		// Keep what was typed, take the fresh version, and say so.
		f.Set("version", strconv.Itoa(ce.Current.(*models.Component).Version))
		m, merr := h.componentFormModel(c, f.WithErrors(nil, []string{"Someone else saved this component while you were editing. Your changes are below and not saved yet; check them against the current page and save again."}), true, comp.Slug)
		if merr != nil {
			return merr
		}
		return h.Render(c, http.StatusConflict, views.ComponentFormPage(h.Page(c, "Edit "+comp.Name, "reviews"), m))
	}
	if err = mergeValidation(v, err); err != nil {
		if ve, ok := models.AsValidation(err); ok {
			m, merr := h.componentFormModel(c, f.WithErrors(ve.Fields, ve.Global), true, comp.Slug)
			if merr != nil {
				return merr
			}
			return h.Render(c, http.StatusUnprocessableEntity, views.ComponentFormPage(h.Page(c, "Edit "+comp.Name, "reviews"), m))
		}
		return err
	}
	h.Flash(c, "ok", "Component saved.")
	return h.Redirect(c, h.Path("components.show", comp.Slug))
}
