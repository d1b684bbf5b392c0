package app

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// setupForm creates the first admin; it exists only while no user does.
func (s *Server) setupForm(c echo.Context) error {
	n, err := models.CountUsers(c.Request().Context(), s.db)
	if err != nil {
		return err
	}
	if n > 0 {
		return s.redirect(c, s.reverse("auth.signin"))
	}
	p := s.page(c, "Welcome", "")
	p.SetupNeeded = true
	return s.render(c, http.StatusOK, views.Setup(p, views.NewForm()))
}

func (s *Server) setupSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := models.CountUsers(ctx, s.db)
	if err != nil {
		return err
	}
	if n > 0 {
		return s.redirect(c, s.reverse("auth.signin"))
	}
	form, err := formValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	in := models.NewUser{
		Email: f.Get("email"), Name: f.Get("name"), Role: models.RoleAdmin,
		TimeZone: f.Get("time_zone"), Password: form.Get("password"),
	}
	var u *models.User
	if form.Get("password") != form.Get("password_confirm") {
		err = models.FieldError("password_confirm", "The two passwords differ.")
	} else {
		u, err = models.CreateUser(ctx, s.db, models.SystemActor("first-run setup"), in, true)
	}
	if ve, ok := models.AsValidation(err); ok {
		p := s.page(c, "Welcome", "")
		p.SetupNeeded = true
		return s.render(c, http.StatusUnprocessableEntity, views.Setup(p, f.WithErrors(ve.Fields, ve.Global)))
	}
	if err != nil {
		return err
	}
	if err := s.startSession(c, u, "password"); err != nil {
		return err
	}
	s.flash(c, "ok", "Welcome to Debrief, "+u.Name+". You are its first admin.")
	return s.redirect(c, s.reverse("home"))
}

func (s *Server) signInForm(c echo.Context) error {
	if currentUser(c) != nil {
		return s.redirect(c, s.reverse("home"))
	}
	n, err := models.CountUsers(c.Request().Context(), s.db)
	if err != nil {
		return err
	}
	if n == 0 {
		return s.redirect(c, s.reverse("auth.setup"))
	}
	f := views.NewForm().Set("next", safeNext(c.QueryParam("next")))
	return s.render(c, http.StatusOK, views.SignIn(s.page(c, "Sign in", ""), f, s.signInOptions()))
}

func (s *Server) signInOptions() views.SignInOptions {
	return views.SignInOptions{SSO: s.oidc != nil, SSOName: s.cfg.OIDC.DisplayName}
}

func (s *Server) signInSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := formValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	email, password, ip := f.Get("email"), form.Get("password"), c.RealIP()
	now := s.now()
	fail := func(status int, msg string) error {
		return s.render(c, status, views.SignIn(s.page(c, "Sign in", ""), f.WithErrors(nil, []string{msg}), s.signInOptions()))
	}
	var throttled *models.ErrThrottled
	if err := models.CheckSignInAllowed(ctx, s.db, email, ip, now); errors.As(err, &throttled) {
		c.Response().Header().Set("Retry-After", throttled.RetryAfter.Round(1e9).String())
		return fail(http.StatusTooManyRequests, throttled.Error())
	} else if err != nil {
		return err
	}
	u, err := models.Authenticate(ctx, s.db, email, password)
	if errors.Is(err, models.ErrBadCredentials) {
		if err := models.RecordSignInFailure(ctx, s.db, email, ip, now); err != nil {
			return err
		}
		return fail(http.StatusUnauthorized, "That email and password do not match an active account.")
	}
	if err != nil {
		return err
	}
	if err := models.ClearSignInFailures(ctx, s.db, email); err != nil {
		return err
	}
	if err := s.startSession(c, u, "password"); err != nil {
		return err
	}
	return s.redirect(c, safeNext(f.Get("next")))
}

// startSession signs u in: a fresh session token (no fixation), the user
// and their session epoch, and an audit entry.
func (s *Server) startSession(c echo.Context, u *models.User, method string) error {
	ctx := c.Request().Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, "uid", u.ID)
	s.sessions.Put(ctx, "epoch", u.SessionEpoch)
	web.SetUser(c, u, false)
	return models.RecordSignIn(ctx, s.db, u, c.RealIP(), method)
}

func (s *Server) signOut(c echo.Context) error {
	ctx := c.Request().Context()
	if u := currentUser(c); u != nil {
		if err := models.Audit(ctx, s.db, actor(c), models.AuditSignOut, "user", u.ID, "signed out", nil); err != nil {
			return err
		}
	}
	if err := s.sessions.Destroy(ctx); err != nil {
		return err
	}
	return s.redirect(c, s.reverse("auth.signin"))
}

// safeNext keeps redirects after sign-in on this site.
func safeNext(next string) string { return web.SafeNext(next) }

// formValues parses a urlencoded or multipart form.
func formValues(c echo.Context) (url.Values, error) { return web.FormValues(c) }
