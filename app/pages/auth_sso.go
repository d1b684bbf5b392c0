package pages

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

	"github.com/debrief-sre/debrief/app/web"
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
	// TrustUnverifiedEmail accepts an ID token WITHOUT an email_verified
	// claim as verified, for providers known to verify every email but
	// not to say so. An explicit email_verified: false is refused anyway.
	TrustUnverifiedEmail bool
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

func (h Auth) oauthConfig(c echo.Context, p *oidc.Provider) oauth2.Config {
	return oauth2.Config{
		ClientID:     h.oidc.cfg.ClientID,
		ClientSecret: h.oidc.cfg.ClientSecret,
		Endpoint:     p.Endpoint(),
		RedirectURL:  h.ExternalURL(c) + h.Path("auth.oidc.callback"),
		Scopes:       []string{oidc.ScopeOpenID, "email", "profile"},
	}
}

// externalURL is the base URL people use to reach Debrief.

func randomToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (h Auth) OIDCStart(c echo.Context) error {
	if h.oidc == nil {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	ctx := c.Request().Context()
	p, err := h.oidc.get(ctx)
	if err != nil {
		h.Log.WarnContext(ctx, "SSO unavailable", "err", err)
		return h.ssoFailed(c, "The single sign-on provider cannot be reached right now. Try again, or sign in with a password.")
	}
	state, nonce, verifier := randomToken(), randomToken(), oauth2.GenerateVerifier()
	h.Sessions.Put(ctx, "oidc_state", state)
	h.Sessions.Put(ctx, "oidc_nonce", nonce)
	h.Sessions.Put(ctx, "oidc_verifier", verifier)
	h.Sessions.Put(ctx, "oidc_next", web.SafeNext(c.QueryParam("next")))
	oc := h.oauthConfig(c, p)
	return c.Redirect(http.StatusFound, oc.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)))
}

func (h Auth) OIDCCallback(c echo.Context) error {
	if h.oidc == nil {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	ctx := c.Request().Context()
	state := h.Sessions.PopString(ctx, "oidc_state")
	nonce := h.Sessions.PopString(ctx, "oidc_nonce")
	verifier := h.Sessions.PopString(ctx, "oidc_verifier")
	next := h.Sessions.PopString(ctx, "oidc_next")
	if state == "" || c.QueryParam("state") != state {
		return h.ssoFailed(c, "The sign-in request expired or did not start here. Please start again.")
	}
	if e := c.QueryParam("error"); e != "" {
		return h.ssoFailed(c, "The single sign-on provider refused the sign-in ("+e+").")
	}
	p, err := h.oidc.get(ctx)
	if err != nil {
		return h.ssoFailed(c, "The single sign-on provider cannot be reached right now.")
	}
	oc := h.oauthConfig(c, p)
	tok, err := oc.Exchange(ctx, c.QueryParam("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		h.Log.WarnContext(ctx, "OIDC code exchange failed", "err", err)
		return h.ssoFailed(c, "The sign-in could not be completed. Please try again.")
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := p.Verifier(&oidc.Config{ClientID: h.oidc.cfg.ClientID}).Verify(ctx, raw)
	if err != nil {
		h.Log.WarnContext(ctx, "OIDC ID token rejected", "err", err)
		return h.ssoFailed(c, "The sign-in could not be verified. Please try again.")
	}
	// go-oidc does not check the nonce; we must.
	if idt.Nonce != nonce {
		return h.ssoFailed(c, "The sign-in could not be verified (nonce mismatch). Please try again.")
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified *bool  `json:"email_verified"`
		Name          string `json:"name"`
		Username      string `json:"preferred_username"`
	}
	if err := idt.Claims(&claims); err != nil {
		return h.ssoFailed(c, "The sign-in answer was not readable.")
	}
	u, err := models.SSOUser(ctx, h.DB, models.SSOIdentity{
		Issuer: idt.Issuer, Subject: idt.Subject, Email: claims.Email, EmailVerified: h.emailVerified(claims.EmailVerified),
		Name: firstNonEmpty(claims.Name, claims.Username), IP: c.RealIP(),
	}, models.SSOPolicy{AllowedDomains: h.oidc.cfg.AllowedDomains, DefaultRole: h.oidc.cfg.DefaultRole})
	if errors.Is(err, models.ErrInvalidState) {
		refused := web.Message(err)
		_ = models.Audit(ctx, h.DB, models.Actor{Name: claims.Email, IP: c.RealIP()}, models.AuditSignInFailed, "user", "", "SSO sign-in refused: "+refused, nil)
		return h.ssoFailed(c, refused)
	}
	if err != nil {
		return err
	}
	if err := h.startSession(c, u, "single sign-on"); err != nil {
		return err
	}
	return h.Redirect(c, web.SafeNext(next))
}

// emailVerified reads the email_verified claim: only true counts, unless
// the provider is trusted to verify emails and leaves the claim out.
func (h Auth) emailVerified(claim *bool) bool {
	if claim == nil {
		return h.oidc.cfg.TrustUnverifiedEmail
	}
	return *claim
}

func (h Auth) ssoFailed(c echo.Context, msg string) error {
	f := views.NewForm().WithErrors(nil, []string{msg})
	return h.Render(c, http.StatusForbidden, views.SignIn(h.Page(c, "Sign in", ""), f, h.signInOptions()))
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
