package pages

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// AdminTeams serves the admin pages for teams and their members.
type AdminTeams struct{ base }

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

func (h AdminTeams) teamRows(c echo.Context) ([]views.AdminTeamRow, error) {
	ctx := c.Request().Context()
	teams, err := models.ListTeams(ctx, h.DB)
	if err != nil {
		return nil, err
	}
	members, err := models.MembersByTeam(ctx, h.DB)
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

func (h AdminTeams) List(c echo.Context) error {
	return h.renderAdminTeams(c, http.StatusOK, views.NewForm())
}

func (h AdminTeams) renderAdminTeams(c echo.Context, status int, f views.Form) error {
	rows, err := h.teamRows(c)
	if err != nil {
		return err
	}
	return h.Render(c, status, views.AdminTeams(h.Page(c, "Teams", "admin"), views.AdminTeamsModel{Teams: rows, Form: f}))
}

func (h AdminTeams) Create(c echo.Context) error {
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	t, err := models.CreateTeam(c.Request().Context(), h.DB, web.Actor(c), models.NewTeam{
		Name: f.Get("name"), Slug: f.Get("slug"), Members: splitEmails(f.Get("members")), Managers: splitEmails(f.Get("managers")),
	})
	if ve, ok := models.AsValidation(err); ok {
		return h.renderAdminTeams(c, http.StatusUnprocessableEntity, f.WithErrors(ve.Fields, ve.Global))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Created team "+t.Name+".")
	return h.Redirect(c, h.Path("admin.teams"))
}

func (h AdminTeams) Edit(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	t, err := models.GetTeam(ctx, h.DB, id)
	if err != nil {
		return err
	}
	ms, err := models.TeamMembers(ctx, h.DB, id)
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
	return h.Render(c, http.StatusOK, views.AdminTeamEdit(h.Page(c, t.Name, "admin"), t.Name, f, nil))
}

func (h AdminTeams) Update(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	t, err := models.GetTeam(ctx, h.DB, id)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form).Set("id", strconv.FormatInt(id, 10))
	err = models.UpdateTeam(ctx, h.DB, web.Actor(c), id, f.Get("name"), splitEmails(f.Get("members")), splitEmails(f.Get("managers")))
	if ve, ok := models.AsValidation(err); ok {
		return h.Render(c, http.StatusUnprocessableEntity, views.AdminTeamEdit(h.Page(c, t.Name, "admin"), t.Name, f.WithErrors(ve.Fields, ve.Global), nil))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Saved team "+f.Get("name")+".")
	return h.Redirect(c, h.Path("admin.teams"))
}
