package apptest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/debrief-sre/debrief/models"
)

// Password is the password of every user made by CreateUser.
const Password = "correct horse battery staple"

var userSeq atomic.Int64

// CreateUser stores a user with the role and Password.
func (e *Env) CreateUser(role models.Role, name string) *models.User {
	e.T.Helper()
	n := userSeq.Add(1)
	if name == "" {
		name = fmt.Sprintf("%s %d", strings.ToUpper(string(role[:1]))+string(role[1:]), n)
	}
	email := fmt.Sprintf("%s.%d@example.com", strings.ToLower(strings.Fields(name)[0]), n)
	u, err := models.CreateUser(context.Background(), e.DB, models.SystemActor("test"), models.NewUser{
		Email: email, Name: name, Role: role, Password: Password,
	}, true)
	if err != nil {
		e.T.Fatalf("apptest: create user: %v", err)
	}
	return u
}

// SignIn signs the client in as u through the real sign-in form.
func (c *Client) SignIn(u *models.User) *Client {
	c.env.T.Helper()
	r := c.Form("/signin", url.Values{"email": {u.Email}, "password": {Password}})
	if r.StatusCode != http.StatusSeeOther {
		c.env.T.Fatalf("apptest: sign in as %s: status %d\n%.1500s", u.Email, r.StatusCode, r.Body)
	}
	return c
}

// As returns a new client signed in as a new user with the role.
func (e *Env) As(role models.Role) (*Client, *models.User) {
	e.T.Helper()
	u := e.CreateUser(role, "")
	return e.Client().SignIn(u), u
}

// CSRFToken returns the CSRF token of the client's session as a page
// carries it (in the body's hx-headers), fetching a page when the session
// changed since the last call (the token is bound to the session and
// changes at sign-in and sign-out).
func (c *Client) CSRFToken() string {
	c.env.T.Helper()
	c.csrfMu.Lock()
	defer c.csrfMu.Unlock()
	if s := c.sessionCookie(); c.csrfToken != "" && s != "" && s == c.csrfSession {
		return c.csrfToken
	}
	// Any page carries the token; a missing one is cheapest.
	r := c.Get("/apptest/csrf-token")
	var h struct {
		Token string `json:"X-CSRF-Token"`
	}
	attr, _ := r.Doc(c.env.T).Find("body").Attr("hx-headers")
	if err := json.Unmarshal([]byte(attr), &h); err != nil || h.Token == "" {
		c.env.T.Fatalf("apptest: no CSRF token on the page (%d, hx-headers %q)", r.StatusCode, attr)
	}
	c.csrfToken, c.csrfSession = h.Token, c.sessionCookie()
	return h.Token
}

// sessionCookie is the value of the client's session cookie, if any.
func (c *Client) sessionCookie() string {
	u, _ := url.Parse(c.env.Server.URL)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if strings.HasSuffix(ck.Name, "debrief_session") {
			return ck.Value
		}
	}
	return ""
}

// Form posts form values with the CSRF token, as a browser form would.
func (c *Client) Form(path string, v url.Values) *Response {
	c.env.T.Helper()
	w := url.Values{}
	for k, vs := range v {
		w[k] = vs
	}
	w.Set("_csrf", c.CSRFToken())
	return c.PostForm(path, w)
}

// Send sends a request with a body and content type plus the CSRF header,
// as htmx would.
func (c *Client) Send(method, path, contentType, body string) *Response {
	c.env.T.Helper()
	return c.Do(method, path, strings.NewReader(body), http.Header{
		"Content-Type": {contentType}, "X-CSRF-Token": {c.CSRFToken()}, "HX-Request": {"true"},
	})
}

// Bearer returns a client that calls the API with the token.
func (e *Env) Bearer(token string) *Client {
	c := e.Client()
	c.Header.Set("Authorization", "Bearer "+token)
	return c
}

// APIToken creates an API token for u and returns it.
func (e *Env) APIToken(u *models.User) string {
	e.T.Helper()
	_, tok, err := models.CreateAPIToken(context.Background(), e.DB, models.SystemActor("test"), u.ID, "test")
	if err != nil {
		e.T.Fatalf("apptest: token: %v", err)
	}
	return tok
}
