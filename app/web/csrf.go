package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"

	"github.com/labstack/echo/v4"
)

// csrfKey is where the session keeps its CSRF token.
const csrfKey = "csrf"

// CSRFToken is the token that state-changing requests of this session must
// carry (form field _csrf or header X-CSRF-Token). It lives in the
// session, so it is worthless in any other session; it is made on first
// use, so visitors who never see a form get no session. Empty when the
// request has no session (API tokens, static files).
func (k *Kit) CSRFToken(c echo.Context) string {
	if !sessionLoaded(c) {
		return ""
	}
	ctx := Ctx(c)
	if tok := k.Sessions.GetString(ctx, csrfKey); tok != "" {
		return tok
	}
	return k.RotateCSRF(c)
}

// RotateCSRF gives the session a new token (at sign-in, so that a token
// learnt or planted before is worthless afterwards) and returns it.
func (k *Kit) RotateCSRF(c echo.Context) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	tok := base64.RawURLEncoding.EncodeToString(b)
	k.Sessions.Put(Ctx(c), csrfKey, tok)
	return tok
}

// CSRFValid reports whether one of the submitted tokens is the session's,
// compared in constant time. A session without a token accepts none.
func (k *Kit) CSRFValid(c echo.Context, submitted ...string) bool {
	if !sessionLoaded(c) {
		return false
	}
	want := k.Sessions.GetString(Ctx(c), csrfKey)
	if want == "" {
		return false
	}
	ok := false
	for _, s := range submitted {
		if subtle.ConstantTimeCompare([]byte(s), []byte(want)) == 1 {
			ok = true
		}
	}
	return ok
}
