package pages

import (
	"errors"
	"math"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Account serves the signed-in user's own page: profile, password and API tokens.
type Account struct{ base }

// accountModel collects what the account page shows.
func (h Account) accountModel(c echo.Context) (views.AccountModel, error) {
	ctx := c.Request().Context()
	u := web.CurrentUser(c)
	m := views.AccountModel{
		Profile:     views.NewForm().Set("name", u.Name).Set("time_zone", u.TimeZone),
		Password:    views.NewForm(),
		TokenForm:   views.NewForm(),
		HasPassword: u.PasswordHash != "",
		SSO:         u.OIDCSubject != nil,
	}
	toks, err := models.ListAPITokens(ctx, h.DB, u.ID)
	if err != nil {
		return m, err
	}
	for _, t := range toks {
		m.Tokens = append(m.Tokens, views.TokenRow{ID: t.ID, Name: t.Name, Prefix: t.Prefix, CreatedAt: t.CreatedAt, LastUsed: t.LastUsedAt, Revoked: t.RevokedAt != nil})
	}
	teams, err := models.TeamsOfUser(ctx, h.DB, u.ID)
	if err != nil {
		return m, err
	}
	for _, t := range teams {
		m.Teams = append(m.Teams, t.Name)
	}
	return m, nil
}

func (h Account) renderAccount(c echo.Context, status int, edit func(*views.AccountModel)) error {
	m, err := h.accountModel(c)
	if err != nil {
		return err
	}
	if edit != nil {
		edit(&m)
	}
	return h.Render(c, status, views.Account(h.Page(c, "Your account", ""), m))
}

func (h Account) Show(c echo.Context) error { return h.renderAccount(c, http.StatusOK, nil) }

func (h Account) Profile(c echo.Context) error {
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	name, tz := f.Get("name"), f.Get("time_zone")
	_, err = models.UpdateUser(c.Request().Context(), h.DB, web.Actor(c), web.CurrentUser(c).ID, models.UserUpdate{Name: &name, TimeZone: &tz})
	if ve, ok := models.AsValidation(err); ok {
		return h.renderAccount(c, http.StatusUnprocessableEntity, func(m *views.AccountModel) { m.Profile = f.WithErrors(ve.Fields, ve.Global) })
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Profile saved.")
	return h.Redirect(c, h.Path("account.show"))
}

func (h Account) Password(c echo.Context) error {
	ctx := c.Request().Context()
	u := web.CurrentUser(c)
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	fail := func(field, msg string) error {
		return h.renderAccount(c, http.StatusUnprocessableEntity, func(m *views.AccountModel) {
			m.Password = views.NewForm().WithErrors(map[string]string{field: msg}, nil)
		})
	}
	if u.PasswordHash != "" {
		// Counted before the check, like sign-in attempts.
		if err := models.CountPasswordCheck(ctx, h.DB, u.ID, h.Now()); err != nil {
			var th *models.ErrThrottled
			if _, ok := throttled(c, err); ok && errors.As(err, &th) {
				msg := "Too many wrong current passwords. Please wait " + views.Plural(int(math.Ceil(th.RetryAfter.Minutes())), "minute", "minutes") + " and try again."
				return h.renderAccount(c, http.StatusTooManyRequests, func(m *views.AccountModel) {
					m.Password = views.NewForm().WithErrors(map[string]string{"current_password": msg}, nil)
				})
			}
			return err
		}
		if ok, _ := models.VerifyPassword(u.PasswordHash, form.Get("current_password")); !ok {
			return fail("current_password", "That is not your current password.")
		}
		if err := models.PasswordCheckSucceeded(ctx, h.DB, u.ID); err != nil {
			return err
		}
	}
	if form.Get("password") != form.Get("password_confirm") {
		return fail("password_confirm", "The two passwords differ.")
	}
	err = models.SetPassword(ctx, h.DB, web.Actor(c), u.ID, form.Get("password"))
	if ve, ok := models.AsValidation(err); ok {
		return fail("password", ve.Fields["password"])
	}
	if err != nil {
		return err
	}
	// The password change ended every session; keep this one.
	fresh, err := models.GetUser(ctx, h.DB, u.ID)
	if err != nil {
		return err
	}
	if err := h.Sessions.RenewToken(ctx); err != nil {
		return err
	}
	h.Sessions.Put(ctx, "epoch", fresh.SessionEpoch)
	h.Flash(c, "ok", "Password changed. Other sessions were signed out.")
	return h.Redirect(c, h.Path("account.show"))
}

func (h Account) TokenCreate(c echo.Context) error {
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	t, plain, err := models.CreateAPIToken(c.Request().Context(), h.DB, web.Actor(c), web.CurrentUser(c).ID, f.Get("name"))
	if ve, ok := models.AsValidation(err); ok {
		return h.renderAccount(c, http.StatusUnprocessableEntity, func(m *views.AccountModel) { m.TokenForm = f.WithErrors(ve.Fields, ve.Global) })
	}
	if err != nil {
		return err
	}
	return h.renderAccount(c, http.StatusCreated, func(m *views.AccountModel) { m.NewToken, m.NewTokenName = plain, t.Name })
}

func (h Account) TokenRevoke(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	if err := models.RevokeAPIToken(c.Request().Context(), h.DB, web.Actor(c), web.CurrentUser(c).ID, id); err != nil {
		return err
	}
	h.Flash(c, "ok", "Token revoked.")
	return h.Redirect(c, h.Path("account.show"))
}
