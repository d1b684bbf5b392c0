package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// OIDCConfig configures single sign-on with an OpenID Connect provider.
type OIDCConfig struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	// AllowedDomains limits sign-in to these email domains (empty: any).
	AllowedDomains []string
	// DefaultRole is given to users created on their first SSO sign-in.
	DefaultRole models.Role
	// DisplayName labels the button ("Sign in with …").
	DisplayName string
}

// oidcClient discovers the provider lazily, so Debrief starts even when
// the provider is briefly unreachable.
type oidcClient struct {
	cfg      OIDCConfig
	mu       sync.Mutex
	provider *oidc.Provider
}

func (o *oidcClient) get(ctx context.Context) (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, nil
	}
	p, err := oidc.NewProvider(ctx, o.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("app: discover OIDC provider %s: %w", o.cfg.Issuer, err)
	}
	o.provider = p
	return p, nil
}

func (s *Server) oauthConfig(c echo.Context, p *oidc.Provider) oauth2.Config {
	return oauth2.Config{
		ClientID:     s.oidc.cfg.ClientID,
		ClientSecret: s.oidc.cfg.ClientSecret,
		Endpoint:     p.Endpoint(),
		RedirectURL:  s.externalURL(c) + s.reverse("auth.oidc.callback"),
		Scopes:       []string{oidc.ScopeOpenID, "email", "profile"},
	}
}

// externalURL is the base URL people use to reach Debrief.
func (s *Server) externalURL(c echo.Context) string {
	if s.cfg.BaseURL != "" {
		return s.cfg.BaseURL
	}
	return c.Scheme() + "://" + c.Request().Host
}

func randomToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *Server) oidcStart(c echo.Context) error {
	if s.oidc == nil {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	ctx := c.Request().Context()
	p, err := s.oidc.get(ctx)
	if err != nil {
		s.log.WarnContext(ctx, "SSO unavailable", "err", err)
		return s.ssoFailed(c, "The single sign-on provider cannot be reached right now. Try again, or sign in with a password.")
	}
	state, nonce, verifier := randomToken(), randomToken(), oauth2.GenerateVerifier()
	s.sessions.Put(ctx, "oidc_state", state)
	s.sessions.Put(ctx, "oidc_nonce", nonce)
	s.sessions.Put(ctx, "oidc_verifier", verifier)
	s.sessions.Put(ctx, "oidc_next", safeNext(c.QueryParam("next")))
	oc := s.oauthConfig(c, p)
	return c.Redirect(http.StatusFound, oc.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)))
}

func (s *Server) oidcCallback(c echo.Context) error {
	if s.oidc == nil {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	ctx := c.Request().Context()
	state := s.sessions.PopString(ctx, "oidc_state")
	nonce := s.sessions.PopString(ctx, "oidc_nonce")
	verifier := s.sessions.PopString(ctx, "oidc_verifier")
	next := s.sessions.PopString(ctx, "oidc_next")
	if state == "" || c.QueryParam("state") != state {
		return s.ssoFailed(c, "The sign-in request expired or did not start here. Please start again.")
	}
	if e := c.QueryParam("error"); e != "" {
		return s.ssoFailed(c, "The single sign-on provider refused the sign-in ("+e+").")
	}
	p, err := s.oidc.get(ctx)
	if err != nil {
		return s.ssoFailed(c, "The single sign-on provider cannot be reached right now.")
	}
	oc := s.oauthConfig(c, p)
	tok, err := oc.Exchange(ctx, c.QueryParam("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		s.log.WarnContext(ctx, "OIDC code exchange failed", "err", err)
		return s.ssoFailed(c, "The sign-in could not be completed. Please try again.")
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := p.Verifier(&oidc.Config{ClientID: s.oidc.cfg.ClientID}).Verify(ctx, raw)
	if err != nil {
		s.log.WarnContext(ctx, "OIDC ID token rejected", "err", err)
		return s.ssoFailed(c, "The sign-in could not be verified. Please try again.")
	}
	// go-oidc does not check the nonce; we must.
	if idt.Nonce != nonce {
		return s.ssoFailed(c, "The sign-in could not be verified (nonce mismatch). Please try again.")
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified *bool  `json:"email_verified"`
		Name          string `json:"name"`
		Username      string `json:"preferred_username"`
	}
	if err := idt.Claims(&claims); err != nil {
		return s.ssoFailed(c, "The sign-in answer was not readable.")
	}
	u, err := s.ssoUser(ctx, c, idt.Issuer, idt.Subject, claims.Email, claims.EmailVerified == nil || *claims.EmailVerified, firstNonEmpty(claims.Name, claims.Username))
	var refused ssoRefusal
	if errors.As(err, &refused) {
		_ = models.Audit(ctx, s.db, models.Actor{Name: claims.Email, IP: c.RealIP()}, models.AuditSignInFailed, "user", "", "SSO sign-in refused: "+string(refused), nil)
		return s.ssoFailed(c, string(refused))
	}
	if err != nil {
		return err
	}
	if err := s.startSession(c, u, "single sign-on"); err != nil {
		return err
	}
	return s.redirect(c, safeNext(next))
}

type ssoRefusal string

func (r ssoRefusal) Error() string { return string(r) }

// ssoUser finds the user for an SSO identity: by issuer and subject, then
// (once, to link an existing account) by verified email, else creates one.
func (s *Server) ssoUser(ctx context.Context, c echo.Context, issuer, subject, email string, verified bool, name string) (*models.User, error) {
	email = models.NormalizeEmail(email)
	var u models.User
	err := s.db.WithContext(ctx).Where("oidc_issuer = ? AND oidc_subject = ?", issuer, subject).Take(&u).Error
	if err == nil {
		if u.Disabled {
			return nil, ssoRefusal("This account is disabled. Ask an admin to enable it.")
		}
		return &u, nil
	}
	if !errors.Is(models.TranslateError(err), models.ErrNotFound) {
		return nil, err
	}
	if email == "" || !verified {
		return nil, ssoRefusal("The provider did not confirm an email address for this account.")
	}
	if !s.domainAllowed(email) {
		return nil, ssoRefusal("Accounts from " + email[strings.LastIndex(email, "@")+1:] + " may not sign in here.")
	}
	existing, err := models.GetUserByEmail(ctx, s.db, email)
	switch {
	case err == nil:
		if existing.Disabled {
			return nil, ssoRefusal("This account is disabled. Ask an admin to enable it.")
		}
		if existing.OIDCSubject != nil {
			return nil, ssoRefusal("This email is linked to another single sign-on identity.")
		}
		res := s.db.WithContext(ctx).Model(&models.User{}).Where("id = ? AND oidc_subject IS NULL", existing.ID).
			Updates(map[string]any{"oidc_issuer": issuer, "oidc_subject": subject, "updated_at": models.Now(s.db)})
		if res.Error != nil {
			return nil, res.Error
		}
		_ = models.Audit(ctx, s.db, models.ActorOf(existing, c.RealIP()), models.AuditUpdate, "user", existing.ID, "linked single sign-on identity", nil)
		return existing, nil
	case !errors.Is(err, models.ErrNotFound):
		return nil, err
	}
	if name == "" {
		name = email[:strings.Index(email, "@")]
	}
	role := s.oidc.cfg.DefaultRole
	if role == "" {
		role = models.RoleMember
	}
	return models.CreateUser(ctx, s.db, models.SystemActor("single sign-on"), models.NewUser{
		Email: email, Name: name, Role: role, OIDCIssuer: issuer, OIDCSubject: subject,
	}, false)
}

func (s *Server) domainAllowed(email string) bool {
	if len(s.oidc.cfg.AllowedDomains) == 0 {
		return true
	}
	domain := strings.ToLower(email[strings.LastIndex(email, "@")+1:])
	for _, d := range s.oidc.cfg.AllowedDomains {
		if strings.EqualFold(strings.TrimPrefix(strings.TrimSpace(d), "@"), domain) {
			return true
		}
	}
	return false
}

func (s *Server) ssoFailed(c echo.Context, msg string) error {
	f := views.NewForm().WithErrors(nil, []string{msg})
	return s.render(c, http.StatusForbidden, views.SignIn(s.page(c, "Sign in", ""), f, s.signInOptions()))
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
