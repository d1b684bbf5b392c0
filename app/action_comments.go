package app

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// fillActionFollowUp adds comments, reminders and the incident to an
// item's page model.
func (s *Server) fillActionFollowUp(c echo.Context, a *models.ActionItem, m *views.ActionDetail) error {
	ctx := c.Request().Context()
	comments, err := models.ActionComments(ctx, s.db, a.ID)
	if err != nil {
		return err
	}
	f := views.ActionFollowUp{CommentForm: views.NewForm(), CanComment: currentUser(c).Role.Allows(models.RoleMember)}
	for _, cm := range comments {
		f.Comments = append(f.Comments, views.CommentView{ID: cm.ID, Author: cm.AuthorName, At: s.fmtTime(c, cm.CreatedAt), Body: cm.Body})
	}
	reminders, err := models.ActionReminders(ctx, s.db, a.ID)
	if err != nil {
		return err
	}
	for _, r := range reminders {
		f.Reminders = append(f.Reminders, views.ReminderView{Moment: r.Moment, At: s.fmtTime(c, r.SendAt), Due: r.DueDate.String()})
	}
	if a.IncidentID != nil {
		inc := a.Incident // preloaded with the item
		if inc == nil {
			var err error
			if inc, err = models.GetIncident(ctx, s.db, *a.IncidentID); err != nil {
				return err
			}
		}
		f.IncidentKey, f.IncidentTitle = inc.Key(), inc.Title
		f.BurnUpURL = s.reverse("actions.burnup") + "?" + url.Values{"incident": {inc.Key()}}.Encode()
	}
	m.FollowUp = f
	return nil
}

// actionCommentCreate adds a comment; htmx gets the comments section back.
func (s *Server) actionCommentCreate(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	_, err = models.AddActionComment(ctx, s.db, actor(c), id, form.Get("body"))
	ve, invalid := models.AsValidation(err)
	if err != nil && !invalid {
		return err
	}
	if !isHTMX(c) {
		if invalid {
			a, gerr := models.GetActionItem(ctx, s.db, id)
			if gerr != nil {
				return gerr
			}
			m, merr := s.actionDetail(c, a, views.NewForm().Set("status", a.Status))
			if merr != nil {
				return merr
			}
			m.FollowUp.CommentForm = views.FormFrom(form).WithErrors(ve.Fields, ve.Global)
			return s.render(c, http.StatusUnprocessableEntity, views.ActionItemPage(s.page(c, a.Title, "actions"), m))
		}
		s.flash(c, "ok", "Comment added.")
		return s.redirect(c, s.reverse("actions.show", id)+"#comments")
	}
	a, err := models.GetActionItem(ctx, s.db, id)
	if err != nil {
		return err
	}
	var m views.ActionDetail
	if err := s.fillActionFollowUp(c, a, &m); err != nil {
		return err
	}
	status := http.StatusOK
	if invalid {
		status = http.StatusUnprocessableEntity
		m.FollowUp.CommentForm = views.FormFrom(form).WithErrors(ve.Fields, ve.Global)
	}
	return s.render(c, status, views.ActionComments(id, m.FollowUp))
}
