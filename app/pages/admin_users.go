package pages

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// AdminUsers serves the admin pages for people: the admin index, the user list, new users, role changes and password resets.
type AdminUsers struct{ base }

func (h AdminUsers) Index(c echo.Context) error {
	return h.Render(c, http.StatusOK, views.AdminIndex(h.Page(c, "Administration", "admin")))
}

func (h AdminUsers) userRows(ctx context.Context) ([]views.AdminUserRow, error) {
	users, err := models.ListUsers(ctx, h.DB, models.UserFilter{})
	if err != nil {
		return nil, err
	}
	teams, err := models.TeamNamesByUser(ctx, h.DB)
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

func (h AdminUsers) List(c echo.Context) error {
	return h.renderAdminUsers(c, http.StatusOK, views.NewForm().Set("role", string(models.RoleMember)), "", "")
}

func (h AdminUsers) renderAdminUsers(c echo.Context, status int, f views.Form, email, password string) error {
	rows, err := h.userRows(c.Request().Context())
	if err != nil {
		return err
	}
	m := views.AdminUsersModel{Users: rows, Form: f, Roles: roleOptions(), CreatedEmail: email, CreatedPassword: password}
	return h.Render(c, status, views.AdminUsers(h.Page(c, "Users", "admin"), m))
}

func (h AdminUsers) Create(c echo.Context) error {
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	pw := models.RandomPassword()
	u, err := models.CreateUser(c.Request().Context(), h.DB, web.Actor(c), models.NewUser{
		Email: f.Get("email"), Name: f.Get("name"), Role: models.Role(f.Get("role")), Password: pw,
	}, true)
	if ve, ok := models.AsValidation(err); ok {
		return h.renderAdminUsers(c, http.StatusUnprocessableEntity, f.WithErrors(ve.Fields, ve.Global), "", "")
	}
	if err != nil {
		return err
	}
	return h.renderAdminUsers(c, http.StatusCreated, views.NewForm().Set("role", string(models.RoleMember)), u.Email, pw)
}

func (h AdminUsers) Edit(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	u, err := models.GetUser(c.Request().Context(), h.DB, id)
	if err != nil {
		return err
	}
	return h.renderUserEdit(c, http.StatusOK, u, userForm(u), "")
}

func userForm(u *models.User) views.Form {
	f := views.NewForm().Set("name", u.Name).Set("role", string(u.Role))
	if u.Disabled {
		f = f.Set("disabled", "1")
	}
	return f
}

func (h AdminUsers) renderUserEdit(c echo.Context, status int, u *models.User, f views.Form, resetPW string) error {
	m := views.AdminUserEditModel{User: userRow(*u, nil), Form: f, Roles: roleOptions(), ResetPassword: resetPW}
	return h.Render(c, status, views.AdminUserEdit(h.Page(c, u.Name, "admin"), m))
}

func (h AdminUsers) Update(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	u, err := models.GetUser(ctx, h.DB, id)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	name, role, disabled := f.Get("name"), models.Role(f.Get("role")), f.Get("disabled") == "1"
	if id == web.CurrentUser(c).ID && (disabled || role != models.RoleAdmin) {
		return h.renderUserEdit(c, http.StatusUnprocessableEntity, u, f.WithErrors(map[string]string{"role": "You cannot remove your own admin role or disable yourself."}, nil), "")
	}
	_, err = models.UpdateUser(ctx, h.DB, web.Actor(c), id, models.UserUpdate{Name: &name, Role: &role, Disabled: &disabled})
	if ve, ok := models.AsValidation(err); ok {
		return h.renderUserEdit(c, http.StatusUnprocessableEntity, u, f.WithErrors(ve.Fields, ve.Global), "")
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Saved "+name+".")
	return h.Redirect(c, h.Path("admin.users"))
}

func (h AdminUsers) ResetPassword(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	u, err := models.GetUser(ctx, h.DB, id)
	if err != nil {
		return err
	}
	pw := models.RandomPassword()
	if err := models.SetPassword(ctx, h.DB, web.Actor(c), id, pw); err != nil {
		return err
	}
	return h.renderUserEdit(c, http.StatusOK, u, userForm(u), pw)
}
