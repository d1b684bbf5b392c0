package pages

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// fillActionFollowUp adds comments, reminders and the incident to an
// item's page model.
func (h Actions) fillActionFollowUp(c echo.Context, a *models.ActionItem, m *views.ActionDetail) error {
	ctx := c.Request().Context()
	comments, err := models.ActionComments(ctx, h.DB, a.ID)
	if err != nil {
		return err
	}
	f := views.ActionFollowUp{CommentForm: views.NewForm(), CanComment: h.Can(c, "actions.comments.create")}
	for _, cm := range comments {
		f.Comments = append(f.Comments, views.CommentView{ID: cm.ID, Author: cm.AuthorName, At: h.fmtTime(c, cm.CreatedAt), Body: cm.Body})
	}
	reminders, err := models.ActionReminders(ctx, h.DB, a.ID)
	if err != nil {
		return err
	}
	for _, r := range reminders {
		f.Reminders = append(f.Reminders, views.ReminderView{Moment: r.Moment, At: h.fmtTime(c, r.SendAt), Due: r.DueDate.String()})
	}
	if a.IncidentID != nil {
		inc := a.Incident // preloaded with the item
		if inc == nil {
			var err error
			if inc, err = models.GetIncident(ctx, h.DB, *a.IncidentID); err != nil {
				return err
			}
		}
		f.IncidentKey, f.IncidentTitle = inc.Key(), inc.Title
		f.BurnUpURL = h.Path("actions.burnup") + "?" + url.Values{"incident": {inc.Key()}}.Encode()
	}
	m.FollowUp = f
	return nil
}

// actionCommentCreate adds a comment; htmx gets the comments section back.
func (h Actions) CommentCreate(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	_, err = models.AddActionComment(ctx, h.DB, web.Actor(c), id, form.Get("body"))
	ve, invalid := models.AsValidation(err)
	if err != nil && !invalid {
		return err
	}
	if !web.IsHTMX(c) {
		if invalid {
			a, gerr := models.GetActionItem(ctx, h.DB, id)
			if gerr != nil {
				return gerr
			}
			m, merr := h.actionDetail(c, a, views.NewForm().Set("status", a.Status))
			if merr != nil {
				return merr
			}
			m.FollowUp.CommentForm = views.FormFrom(form).WithErrors(ve.Fields, ve.Global)
			return h.Render(c, http.StatusUnprocessableEntity, views.ActionItemPage(h.Page(c, a.Title, "actions"), m))
		}
		h.Flash(c, "ok", "Comment added.")
		return h.Redirect(c, h.Path("actions.show", id)+"#comments")
	}
	a, err := models.GetActionItem(ctx, h.DB, id)
	if err != nil {
		return err
	}
	var m views.ActionDetail
	if err := h.fillActionFollowUp(c, a, &m); err != nil {
		return err
	}
	status := http.StatusOK
	if invalid {
		status = http.StatusUnprocessableEntity
		m.FollowUp.CommentForm = views.FormFrom(form).WithErrors(ve.Fields, ve.Global)
	}
	return h.Render(c, status, views.ActionComments(id, m.FollowUp))
}
