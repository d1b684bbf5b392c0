package app

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Helpers shared by the component, review and action item handlers.

// today is the current date in the instance's time zone (cadence and due
// dates are calendar dates there).
func (s *Server) today() models.Date { return s.kit.Today() }

// viewerLoc is the signed-in user's time zone.
func (s *Server) viewerLoc(c echo.Context) *time.Location {
	return currentUser(c).Location(s.cfg.Location)
}

// fmtTime shows a stored time in the viewer's zone, naming the zone.
func (s *Server) fmtTime(c echo.Context, t time.Time) string {
	return views.FormatStamp(t, s.viewerLoc(c))
}

func (s *Server) fmtTimePtr(c echo.Context, t *time.Time) string {
	if t == nil {
		return ""
	}
	return s.fmtTime(c, *t)
}

// fmtDay shows the calendar day of a stored time in the viewer's zone.
func (s *Server) fmtDay(c echo.Context, t *time.Time) string {
	return views.FormatDay(t, s.viewerLoc(c))
}

func datePtrString(d *models.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// teamOptions lists the teams by slug for selects.
func (s *Server) teamOptions(ctx context.Context) ([]views.Option, error) {
	teams, err := models.ListTeams(ctx, s.db)
	if err != nil {
		return nil, err
	}
	out := make([]views.Option, 0, len(teams))
	for _, t := range teams {
		out = append(out, views.Option{Value: t.Slug, Label: t.Name})
	}
	return out, nil
}

// userOptions lists active users (by email) of at least the role.
func (s *Server) userOptions(ctx context.Context, min models.Role) ([]views.Option, error) {
	users, err := s.activeUsers(ctx)
	if err != nil {
		return nil, err
	}
	return emailOptions(users, min), nil
}

// activeUsers are the users who can sign in, for the choices of a page
// (load them once and derive every list a page needs).
func (s *Server) activeUsers(ctx context.Context) ([]models.User, error) {
	off := false
	return models.ListUsers(ctx, s.db, models.UserFilter{Disabled: &off})
}

// emailOptions offers the users with at least role min, by email.
func emailOptions(users []models.User, min models.Role) []views.Option {
	out := make([]views.Option, 0, len(users))
	for _, u := range users {
		if u.Role.Allows(min) {
			out = append(out, views.Option{Value: u.Email, Label: u.Name + " <" + u.Email + ">"})
		}
	}
	return out
}

func pathID(c echo.Context, name string) (int64, error) { return web.PathID(c, name) }

func atoiOr(s string, def int) int { return web.AtoiOr(s, def) }

func (s *Server) actionRow(today models.Date, a *models.ActionItem) views.ActionRow {
	r := views.ActionRow{
		ID: a.ID, Title: a.Title, Status: a.Status, Priority: a.Priority, SourceKind: a.SourceKind,
		Due: datePtrString(a.DueDate), Overdue: a.Overdue(today), Closed: a.IsClosed(),
	}
	if a.Owner != nil {
		r.Owner = a.Owner.Name
	}
	if a.Team != nil {
		r.Team = a.Team.Name
	}
	return r
}

func (s *Server) actionRows(items []models.ActionItem) []views.ActionRow {
	today := s.today()
	out := make([]views.ActionRow, 0, len(items))
	for i := range items {
		out = append(out, s.actionRow(today, &items[i]))
	}
	return out
}
