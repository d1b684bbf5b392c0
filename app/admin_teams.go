package app

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// splitEmails reads addresses separated by commas, semicolons, spaces or
// new lines.
func splitEmails(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	}) {
		out = append(out, f)
	}
	return out
}

func (s *Server) teamRows(c echo.Context) ([]views.AdminTeamRow, error) {
	ctx := c.Request().Context()
	teams, err := models.ListTeams(ctx, s.db)
	if err != nil {
		return nil, err
	}
	members, err := models.MembersByTeam(ctx, s.db)
	if err != nil {
		return nil, err
	}
	rows := make([]views.AdminTeamRow, 0, len(teams))
	for _, t := range teams {
		row := views.AdminTeamRow{ID: t.ID, Name: t.Name, Slug: t.Slug}
		for _, m := range members[t.ID] {
			if m.Role == models.TeamRoleManager {
				row.Managers = append(row.Managers, m.User.Name)
			} else {
				row.Members = append(row.Members, m.User.Name)
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func (s *Server) adminTeams(c echo.Context) error {
	return s.renderAdminTeams(c, http.StatusOK, views.NewForm())
}

func (s *Server) renderAdminTeams(c echo.Context, status int, f views.Form) error {
	rows, err := s.teamRows(c)
	if err != nil {
		return err
	}
	return s.render(c, status, views.AdminTeams(s.page(c, "Teams", "admin"), views.AdminTeamsModel{Teams: rows, Form: f}))
}

func (s *Server) adminTeamCreate(c echo.Context) error {
	form, err := formValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	t, err := models.CreateTeam(c.Request().Context(), s.db, actor(c), models.NewTeam{
		Name: f.Get("name"), Slug: f.Get("slug"), Members: splitEmails(f.Get("members")), Managers: splitEmails(f.Get("managers")),
	})
	if ve, ok := models.AsValidation(err); ok {
		return s.renderAdminTeams(c, http.StatusUnprocessableEntity, f.WithErrors(ve.Fields, ve.Global))
	}
	if err != nil {
		return err
	}
	s.flash(c, "ok", "Created team "+t.Name+".")
	return s.redirect(c, s.reverse("admin.teams"))
}

func (s *Server) adminTeamEdit(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	t, err := models.GetTeam(ctx, s.db, id)
	if err != nil {
		return err
	}
	ms, err := models.TeamMembers(ctx, s.db, id)
	if err != nil {
		return err
	}
	var members, managers []string
	for _, m := range ms {
		if m.Role == models.TeamRoleManager {
			managers = append(managers, m.User.Email)
		} else {
			members = append(members, m.User.Email)
		}
	}
	f := views.NewForm().Set("id", strconv.FormatInt(id, 10)).Set("name", t.Name).
		Set("members", strings.Join(members, "\n")).Set("managers", strings.Join(managers, "\n"))
	return s.render(c, http.StatusOK, views.AdminTeamEdit(s.page(c, t.Name, "admin"), t.Name, f, nil))
}

func (s *Server) adminTeamUpdate(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	t, err := models.GetTeam(ctx, s.db, id)
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form).Set("id", strconv.FormatInt(id, 10))
	err = models.UpdateTeam(ctx, s.db, actor(c), id, f.Get("name"), splitEmails(f.Get("members")), splitEmails(f.Get("managers")))
	if ve, ok := models.AsValidation(err); ok {
		return s.render(c, http.StatusUnprocessableEntity, views.AdminTeamEdit(s.page(c, t.Name, "admin"), t.Name, f.WithErrors(ve.Fields, ve.Global), nil))
	}
	if err != nil {
		return err
	}
	s.flash(c, "ok", "Saved team "+f.Get("name")+".")
	return s.redirect(c, s.reverse("admin.teams"))
}
