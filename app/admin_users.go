package app

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func (s *Server) adminIndex(c echo.Context) error {
	return s.render(c, http.StatusOK, views.AdminIndex(s.page(c, "Administration", "admin")))
}

func (s *Server) userRows(ctx context.Context) ([]views.AdminUserRow, error) {
	users, err := models.ListUsers(ctx, s.db, models.UserFilter{})
	if err != nil {
		return nil, err
	}
	teams, err := models.TeamNamesByUser(ctx, s.db)
	if err != nil {
		return nil, err
	}
	rows := make([]views.AdminUserRow, 0, len(users))
	for _, u := range users {
		rows = append(rows, userRow(u, teams[u.ID]))
	}
	return rows, nil
}

func userRow(u models.User, teams []string) views.AdminUserRow {
	return views.AdminUserRow{
		ID: u.ID, Name: u.Name, Email: u.Email, Role: string(u.Role), Disabled: u.Disabled,
		SSO: u.OIDCSubject != nil, LastSignIn: u.LastSignInAt, Teams: teams,
	}
}

func (s *Server) adminUsers(c echo.Context) error {
	return s.renderAdminUsers(c, http.StatusOK, views.NewForm().Set("role", string(models.RoleMember)), "", "")
}

func (s *Server) renderAdminUsers(c echo.Context, status int, f views.Form, email, password string) error {
	rows, err := s.userRows(c.Request().Context())
	if err != nil {
		return err
	}
	m := views.AdminUsersModel{Users: rows, Form: f, Roles: roleOptions(), CreatedEmail: email, CreatedPassword: password}
	return s.render(c, status, views.AdminUsers(s.page(c, "Users", "admin"), m))
}

func (s *Server) adminUserCreate(c echo.Context) error {
	form, err := formValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	pw := models.RandomPassword()
	u, err := models.CreateUser(c.Request().Context(), s.db, actor(c), models.NewUser{
		Email: f.Get("email"), Name: f.Get("name"), Role: models.Role(f.Get("role")), Password: pw,
	}, true)
	if ve, ok := models.AsValidation(err); ok {
		return s.renderAdminUsers(c, http.StatusUnprocessableEntity, f.WithErrors(ve.Fields, ve.Global), "", "")
	}
	if err != nil {
		return err
	}
	return s.renderAdminUsers(c, http.StatusCreated, views.NewForm().Set("role", string(models.RoleMember)), u.Email, pw)
}

func (s *Server) adminUserEdit(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u, err := models.GetUser(c.Request().Context(), s.db, id)
	if err != nil {
		return err
	}
	return s.renderUserEdit(c, http.StatusOK, u, userForm(u), "")
}

func userForm(u *models.User) views.Form {
	f := views.NewForm().Set("name", u.Name).Set("role", string(u.Role))
	if u.Disabled {
		f = f.Set("disabled", "1")
	}
	return f
}

func (s *Server) renderUserEdit(c echo.Context, status int, u *models.User, f views.Form, resetPW string) error {
	m := views.AdminUserEditModel{User: userRow(*u, nil), Form: f, Roles: roleOptions(), ResetPassword: resetPW}
	return s.render(c, status, views.AdminUserEdit(s.page(c, u.Name, "admin"), m))
}

func (s *Server) adminUserUpdate(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u, err := models.GetUser(ctx, s.db, id)
	if err != nil {
		return err
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	name, role, disabled := f.Get("name"), models.Role(f.Get("role")), f.Get("disabled") == "1"
	if id == currentUser(c).ID && (disabled || role != models.RoleAdmin) {
		return s.renderUserEdit(c, http.StatusUnprocessableEntity, u, f.WithErrors(map[string]string{"role": "You cannot remove your own admin role or disable yourself."}, nil), "")
	}
	_, err = models.UpdateUser(ctx, s.db, actor(c), id, models.UserUpdate{Name: &name, Role: &role, Disabled: &disabled})
	if ve, ok := models.AsValidation(err); ok {
		return s.renderUserEdit(c, http.StatusUnprocessableEntity, u, f.WithErrors(ve.Fields, ve.Global), "")
	}
	if err != nil {
		return err
	}
	s.flash(c, "ok", "Saved "+name+".")
	return s.redirect(c, s.reverse("admin.users"))
}

func (s *Server) adminUserResetPassword(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u, err := models.GetUser(ctx, s.db, id)
	if err != nil {
		return err
	}
	pw := models.RandomPassword()
	if err := models.SetPassword(ctx, s.db, actor(c), id, pw); err != nil {
		return err
	}
	return s.renderUserEdit(c, http.StatusOK, u, userForm(u), pw)
}
