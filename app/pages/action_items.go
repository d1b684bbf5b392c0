package pages

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Actions serves an action item's own pages: new, show, edit, status and comments.
type Actions struct{ base }

// actionSource is what the new item form shows of where the item comes
// from: a line of context and the hidden fields that carry the
// references to the create handler.
type actionSource struct {
	label  string
	hidden map[string]string
	// team is the default team: the component's.
	team string
}

// actionRefs reads the references of a new action item from the query
// (new form) or the hidden fields (create): finding=, review= (ids) and
// component= (a slug). An id that is not a number is not found.
func actionRefs(v url.Values) (models.NewActionItem, error) {
	var in models.NewActionItem
	for key, dst := range map[string]**int64{"finding": &in.FindingID, "review": &in.ReviewID} {
		if raw := v.Get(key); raw != "" {
			id, err := strconv.ParseInt(raw, 10, 64)
			if err != nil {
				return in, models.ErrNotFound
			}
			*dst = &id
		}
	}
	in.ComponentSlug = v.Get("component")
	return in, nil
}

// resolveActionSource derives where a new item comes from
// (models.ResolveActionSource) for the form. A reference that does not
// resolve, or disagrees with another, is a broken link: not found.
func (h Actions) resolveActionSource(c echo.Context, v url.Values) (actionSource, error) {
	src := actionSource{hidden: map[string]string{}}
	// Where to go after saving survives a refused form.
	if next := v.Get("next"); next != "" {
		src.hidden["next"] = web.SafeNext(next)
	}
	refs, err := actionRefs(v)
	if err != nil {
		return src, err
	}
	from, err := models.ResolveActionSource(c.Request().Context(), h.DB, refs)
	if models.IsReferenceError(err) {
		return src, fmt.Errorf("action item source: %w (%s)", models.ErrNotFound, err)
	}
	if err != nil {
		return src, err
	}
	for _, k := range []string{"finding", "review", "component"} {
		if val := v.Get(k); val != "" {
			src.hidden[k] = val
		}
	}
	if from.Component != nil && from.Component.Team != nil {
		src.team = from.Component.Team.Slug
	}
	switch {
	case from.Finding != nil:
		src.label = "For the finding “" + from.Finding.Title + "” of " + from.Component.Name + "."
	case from.Review != nil:
		src.label = "From the review “" + from.Review.Title + "”."
	case from.Component != nil:
		src.label = "For the component " + from.Component.Name + "."
	}
	return src, nil
}

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
