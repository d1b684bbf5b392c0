package pages

import (
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Auth serves first-run setup, sign-in by password or single sign-on, and sign-out.
type Auth struct {
	base
	// oidc is nil without single sign-on.
	oidc *oidcClient
}

// setupForm creates the first admin; it exists only while no user does.
func (h Auth) SetupForm(c echo.Context) error {
	n, err := models.CountUsers(c.Request().Context(), h.DB)
	if err != nil {
		return err
	}
	if n > 0 {
		return h.Redirect(c, h.Path("auth.signin"))
	}
	p := h.Page(c, "Welcome", "")
	p.SetupNeeded = true
	return h.Render(c, http.StatusOK, views.Setup(p, views.NewForm()))
}

func (h Auth) SetupSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := models.CountUsers(ctx, h.DB)
	if err != nil {
		return err
	}
	if n > 0 {
		return h.Redirect(c, h.Path("auth.signin"))
	}
	form, err := web.FormValues(c)
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
		u, err = models.CreateUser(ctx, h.DB, models.SystemActor("first-run setup"), in, true)
	}
	if ve, ok := models.AsValidation(err); ok {
		p := h.Page(c, "Welcome", "")
		p.SetupNeeded = true
		return h.Render(c, http.StatusUnprocessableEntity, views.Setup(p, f.WithErrors(ve.Fields, ve.Global)))
	}
	if err != nil {
		return err
	}
	if err := h.startSession(c, u, "password"); err != nil {
		return err
	}
	h.Flash(c, "ok", "Welcome to Debrief, "+u.Name+". You are its first admin.")
	return h.Redirect(c, h.Path("home"))
}

func (h Auth) SignInForm(c echo.Context) error {
	if web.CurrentUser(c) != nil {
		return h.Redirect(c, h.Path("home"))
	}
	n, err := models.CountUsers(c.Request().Context(), h.DB)
	if err != nil {
		return err
	}
	if n == 0 {
		return h.Redirect(c, h.Path("auth.setup"))
	}
	f := views.NewForm().Set("next", web.SafeNext(c.QueryParam("next")))
	return h.Render(c, http.StatusOK, views.SignIn(h.Page(c, "Sign in", ""), f, h.signInOptions()))
}

func (h Auth) signInOptions() views.SignInOptions {
	if h.oidc == nil {
		return views.SignInOptions{}
	}
	return views.SignInOptions{SSO: true, SSOName: h.oidc.cfg.DisplayName}
}

func (h Auth) SignInSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	email, password, ip := f.Get("email"), form.Get("password"), c.RealIP()
	now := h.Now()
	fail := func(status int, msg string) error {
		return h.Render(c, status, views.SignIn(h.Page(c, "Sign in", ""), f.WithErrors(nil, []string{msg}), h.signInOptions()))
	}
	// The attempt is counted before the password is checked, so parallel
	// guesses cannot all get in under the limit.
	if err := models.CountSignInAttempt(ctx, h.DB, email, ip, now); err != nil {
		if msg, ok := throttled(c, err); ok {
			return fail(http.StatusTooManyRequests, msg)
		}
		return err
	}
	u, err := models.Authenticate(ctx, h.DB, email, password)
	if errors.Is(err, models.ErrBadCredentials) {
		if err := models.RecordSignInFailure(ctx, h.DB, email, ip); err != nil {
			return err
		}
		return fail(http.StatusUnauthorized, "That email and password do not match an active account.")
	}
	if err != nil {
		return err
	}
	if err := models.SignInSucceeded(ctx, h.DB, email, ip); err != nil {
		return err
	}
	if err := h.startSession(c, u, "password"); err != nil {
		return err
	}
	return h.Redirect(c, web.SafeNext(f.Get("next")))
}

// startSession signs u in: a fresh session token (no fixation) and CSRF
// token, the user and their session epoch, and an audit entry.
func (h Auth) startSession(c echo.Context, u *models.User, method string) error {
	ctx := c.Request().Context()
	if err := h.Sessions.RenewToken(ctx); err != nil {
		return err
	}
	// A CSRF token learnt or planted before sign-in is worthless after it.
	h.RotateCSRF(c)
	h.Sessions.Put(ctx, "uid", u.ID)
	h.Sessions.Put(ctx, "epoch", u.SessionEpoch)
	web.SetUser(c, u, false)
	return models.RecordSignIn(ctx, h.DB, u, c.RealIP(), method)
}

func (h Auth) SignOut(c echo.Context) error {
	ctx := c.Request().Context()
	if u := web.CurrentUser(c); u != nil {
		if err := models.Audit(ctx, h.DB, web.Actor(c), models.AuditSignOut, "user", u.ID, "signed out", nil); err != nil {
			return err
		}
	}
	// The session and its CSRF token end here; the next page starts a
	// new session with a new token.
	if err := h.Sessions.Destroy(ctx); err != nil {
		return err
	}
	return h.Redirect(c, h.Path("auth.signin"))
}

// throttled answers a refusal of the sign-in limits: it sets Retry-After
// (whole seconds) and returns the message to show; ok is false for other
// errors.
func throttled(c echo.Context, err error) (msg string, ok bool) {
	var th *models.ErrThrottled
	if !errors.As(err, &th) {
		return "", false
	}
	secs := int64(math.Ceil(th.RetryAfter.Seconds()))
	c.Response().Header().Set("Retry-After", strconv.FormatInt(max(secs, 1), 10))
	return th.Error(), true
}
