package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// accountModel collects what the account page shows.
func (s *Server) accountModel(c echo.Context) (views.AccountModel, error) {
	ctx := c.Request().Context()
	u := currentUser(c)
	m := views.AccountModel{
		Profile:     views.NewForm().Set("name", u.Name).Set("time_zone", u.TimeZone),
		Password:    views.NewForm(),
		TokenForm:   views.NewForm(),
		HasPassword: u.PasswordHash != "",
		SSO:         u.OIDCSubject != nil,
	}
	toks, err := models.ListAPITokens(ctx, s.db, u.ID)
	if err != nil {
		return m, err
	}
	for _, t := range toks {
		m.Tokens = append(m.Tokens, views.TokenRow{ID: t.ID, Name: t.Name, Prefix: t.Prefix, CreatedAt: t.CreatedAt, LastUsed: t.LastUsedAt, Revoked: t.RevokedAt != nil})
	}
	teams, err := models.TeamsOfUser(ctx, s.db, u.ID)
	if err != nil {
		return m, err
	}
	for _, t := range teams {
		m.Teams = append(m.Teams, t.Name)
	}
	return m, nil
}

func (s *Server) renderAccount(c echo.Context, status int, edit func(*views.AccountModel)) error {
	m, err := s.accountModel(c)
	if err != nil {
		return err
	}
	if edit != nil {
		edit(&m)
	}
	return s.render(c, status, views.Account(s.page(c, "Your account", ""), m))
}

func (s *Server) accountShow(c echo.Context) error { return s.renderAccount(c, http.StatusOK, nil) }

func (s *Server) accountProfile(c echo.Context) error {
	form, err := formValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	name, tz := f.Get("name"), f.Get("time_zone")
	_, err = models.UpdateUser(c.Request().Context(), s.db, actor(c), currentUser(c).ID, models.UserUpdate{Name: &name, TimeZone: &tz})
	if ve, ok := models.AsValidation(err); ok {
		return s.renderAccount(c, http.StatusUnprocessableEntity, func(m *views.AccountModel) { m.Profile = f.WithErrors(ve.Fields, ve.Global) })
	}
	if err != nil {
		return err
	}
	s.flash(c, "ok", "Profile saved.")
	return s.redirect(c, s.reverse("account.show"))
}

func (s *Server) accountPassword(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	form, err := formValues(c)
	if err != nil {
		return err
	}
	fail := func(field, msg string) error {
		return s.renderAccount(c, http.StatusUnprocessableEntity, func(m *views.AccountModel) {
			m.Password = views.NewForm().WithErrors(map[string]string{field: msg}, nil)
		})
	}
	if u.PasswordHash != "" {
		if ok, _ := models.VerifyPassword(u.PasswordHash, form.Get("current_password")); !ok {
			return fail("current_password", "That is not your current password.")
		}
	}
	if form.Get("password") != form.Get("password_confirm") {
		return fail("password_confirm", "The two passwords differ.")
	}
	err = models.SetPassword(ctx, s.db, actor(c), u.ID, form.Get("password"))
	if ve, ok := models.AsValidation(err); ok {
		return fail("password", ve.Fields["password"])
	}
	if err != nil {
		return err
	}
	// The password change ended every session; keep this one.
	fresh, err := models.GetUser(ctx, s.db, u.ID)
	if err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, "epoch", fresh.SessionEpoch)
	s.flash(c, "ok", "Password changed. Other sessions were signed out.")
	return s.redirect(c, s.reverse("account.show"))
}

func (s *Server) accountTokenCreate(c echo.Context) error {
	form, err := formValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	t, plain, err := models.CreateAPIToken(c.Request().Context(), s.db, actor(c), currentUser(c).ID, f.Get("name"))
	if ve, ok := models.AsValidation(err); ok {
		return s.renderAccount(c, http.StatusUnprocessableEntity, func(m *views.AccountModel) { m.TokenForm = f.WithErrors(ve.Fields, ve.Global) })
	}
	if err != nil {
		return err
	}
	return s.renderAccount(c, http.StatusCreated, func(m *views.AccountModel) { m.NewToken, m.NewTokenName = plain, t.Name })
}

func (s *Server) accountTokenRevoke(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := models.RevokeAPIToken(c.Request().Context(), s.db, actor(c), currentUser(c).ID, id); err != nil {
		return err
	}
	s.flash(c, "ok", "Token revoked.")
	return s.redirect(c, s.reverse("account.show"))
}
