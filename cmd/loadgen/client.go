package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// client is a signed-in HTTP client for one Debrief.
type client struct {
	base string
	jar  http.CookieJar
	// http is for ordinary requests; streams use their own transport.
	http *http.Client

	// The session's CSRF token as last read, and the session it came with.
	mu                  sync.Mutex
	token, tokenSession string
}

func newClient(ctx context.Context, o *options) (*client, error) {
	jar, _ := cookiejar.New(nil)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 1024
	tr.MaxIdleConnsPerHost = 1024
	c := &client{base: o.base, jar: jar, http: &http.Client{
		Jar: jar, Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	switch {
	case o.cookie != "":
		name, value, ok := strings.Cut(o.cookie, "=")
		if !ok {
			return nil, usageError{errors.New("-cookie must be NAME=VALUE")}
		}
		u, _ := url.Parse(o.base)
		jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
	case o.email != "":
		if err := c.signIn(ctx, o.email, o.password); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// csrf is the CSRF token of the client's session. Debrief binds it to the
// session (it changes at sign-in), so it is read from a page whenever the
// session cookie changed since the last read.
func (c *client) csrf(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	session := c.sessionCookie()
	if c.token != "" && session != "" && session == c.tokenSession {
		return c.token, nil
	}
	// The sign-in page carries it for visitors; signed in, any page does.
	for _, path := range []string{"/signin", "/setup", "/account"} {
		res, body, err := c.do(ctx, http.MethodGet, path, nil, nil)
		if err != nil {
			return "", err
		}
		if res.StatusCode != http.StatusOK {
			continue
		}
		if m := csrfField.FindStringSubmatch(body); m != nil {
			c.token, c.tokenSession = html.UnescapeString(m[1]), c.sessionCookie()
			return c.token, nil
		}
	}
	return "", errors.New("no CSRF token on /signin, /setup or /account")
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// sessionCookie is the value of Debrief's session cookie (named
// __Host-debrief_session over https).
func (c *client) sessionCookie() string {
	u, _ := url.Parse(c.base)
	for _, ck := range c.jar.Cookies(u) {
		if strings.HasSuffix(ck.Name, "debrief_session") {
			return ck.Value
		}
	}
	return ""
}

func (c *client) do(ctx context.Context, method, path string, body url.Values, header http.Header) (*http.Response, string, error) {
	var r io.Reader
	if body != nil {
		r = strings.NewReader(body.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, r)
	if err != nil {
		return nil, "", err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := c.http.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	return res, string(b), err
}

// signIn signs in through the form; a Debrief without users first gets
// this user as its admin through the first-run setup.
func (c *client) signIn(ctx context.Context, email, password string) error {
	res, _, err := c.do(ctx, http.MethodGet, "/signin", nil, nil)
	if err != nil {
		return fmt.Errorf("reach Debrief at %s: %w", c.base, err)
	}
	tok, err := c.csrf(ctx)
	if err != nil {
		return err
	}
	if res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/setup") {
		res, body, err := c.do(ctx, http.MethodPost, "/setup", url.Values{
			"_csrf": {tok}, "name": {"Load Generator"}, "email": {email}, "time_zone": {"UTC"},
			"password": {password}, "password_confirm": {password},
		}, nil)
		if err != nil {
			return err
		}
		if res.StatusCode != http.StatusSeeOther {
			return fmt.Errorf("first-run setup answered %d: %s", res.StatusCode, firstLine(body))
		}
		return nil
	}
	res, body, err := c.do(ctx, http.MethodPost, "/signin", url.Values{"_csrf": {tok}, "email": {email}, "password": {password}}, nil)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("sign-in as %s answered %d (wrong email or password?): %s", email, res.StatusCode, firstLine(body))
	}
	return nil
}

var tags = regexp.MustCompile(`<[^>]*>|\s+`)

func firstLine(html string) string {
	s := strings.TrimSpace(tags.ReplaceAllString(html, " "))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
