// Command loadgen drives a running Debrief and reports what it measured.
//
//	loadgen -scenario http -paths /,/healthz -c 32 -d 15s -email a@example.com -password …
//	loadgen -scenario sse  -subscribers 200 -events 20 -email … -password …
//	loadgen -scenario retro -subscribers 200 -events 20 -email … -password …
//
// Scenario http: for each path in turn, C concurrent clients request it
// for the duration (or up to -n requests); it reports throughput and
// p50/p90/p99 latency. Scenario sse: M subscribers open the stream, then
// a trigger makes the server publish N events one at a time; it reports
// the delivery latency (trigger sent → event read, for every subscriber)
// and the server's memory per open stream, from /metrics before and after
// the subscribers connected.
//
// The default sse target is the admin "Live updates" check page. A feature
// plugs its own trigger in with flags, for example a retro note:
//
//	-stream /retros/42/stream -trigger-post /retros/42/notes \
//	  -trigger-form 'prompt=1&text=Load test note {{marker}}'
//
// where {{marker}} becomes a unique string that the note's rendering on
// every stream contains (or, without {{marker}}, -marker-regexp finds it in
// the trigger's response). From Go, implement Trigger.
//
// Signing in: -email and -password use the sign-in form (and, on a Debrief
// without users, the first-run setup creates that admin); -cookie passes a
// session cookie instead. Requests go to loopback addresses only unless
// -allow-remote is given: point it at your own servers, never at others'.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"sync"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

type usageError struct{ error }

// options are the command line.
type options struct {
	base        string
	scenario    string
	email       string
	password    string
	cookie      string
	allowRemote bool
	jsonOut     bool

	// http
	paths       []string
	concurrency int
	duration    time.Duration
	maxRequests int

	// sse
	subscribers  int
	events       int
	interval     time.Duration
	wait         time.Duration
	stream       string
	eventName    string
	triggerPost  string
	triggerBase  string
	triggerForm  string
	markerRegexp string

	// retro (retro.go)
	retro int64
}

func parse(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var paths string
	fs.StringVar(&o.base, "base", "http://127.0.0.1:8080", "Debrief's base URL")
	fs.StringVar(&o.scenario, "scenario", "http", "http, sse or retro")
	fs.StringVar(&o.email, "email", "", "sign in as this user (created as the first admin on a fresh Debrief)")
	fs.StringVar(&o.password, "password", "", "password for -email")
	fs.StringVar(&o.cookie, "cookie", "", "session cookie NAME=VALUE instead of -email/-password")
	fs.BoolVar(&o.allowRemote, "allow-remote", false, "allow a base URL that is not a loopback address")
	fs.BoolVar(&o.jsonOut, "json", false, "print the report as JSON")
	fs.StringVar(&paths, "paths", "/,/healthz", "http: comma-separated paths, measured one after another")
	fs.IntVar(&o.concurrency, "c", 16, "http: concurrent clients")
	fs.DurationVar(&o.duration, "d", 10*time.Second, "http: duration per path")
	fs.IntVar(&o.maxRequests, "n", 1_000_000, "http: at most this many requests per path")
	fs.IntVar(&o.subscribers, "subscribers", 200, "sse: concurrent stream subscribers")
	fs.IntVar(&o.events, "events", 20, "sse: events to trigger, one at a time")
	fs.DurationVar(&o.interval, "interval", 100*time.Millisecond, "sse: pause between events")
	fs.DurationVar(&o.wait, "wait", 10*time.Second, "sse: how long to wait for an event to reach every subscriber")
	fs.StringVar(&o.stream, "stream", "/admin/live/stream", "sse: stream path")
	fs.StringVar(&o.eventName, "event", "", "sse: only events with this SSE name count (empty: any)")
	fs.StringVar(&o.triggerBase, "trigger-base", "", "sse: send triggers to this instance instead of -base (streams stay on -base): measures delivery across instances")
	fs.StringVar(&o.triggerPost, "trigger-post", "/admin/live/ping", "sse: path to POST to publish one event")
	fs.StringVar(&o.triggerForm, "trigger-form", "", "sse: form body for the trigger; {{n}} is the event number, {{marker}} a unique marker")
	fs.Int64Var(&o.retro, "retro", 0, "retro: load this session (in reflection) instead of opening one")
	fs.StringVar(&o.markerRegexp, "marker-regexp", `data-ping="(\d+)"`, "sse: without {{marker}}, finds the marker (first group) in the trigger's response")
	if err := fs.Parse(args); err != nil {
		return nil, usageError{err}
	}
	for p := range strings.SplitSeq(paths, ",") {
		if p = strings.TrimSpace(p); p != "" {
			o.paths = append(o.paths, p)
		}
	}
	switch {
	case o.scenario != "http" && o.scenario != "sse" && o.scenario != "retro":
		return nil, usageError{fmt.Errorf("-scenario must be http, sse or retro, got %q", o.scenario)}
	case o.concurrency < 1 || o.subscribers < 1 || o.events < 1 || o.maxRequests < 1:
		return nil, usageError{errors.New("-c, -n, -subscribers and -events must be at least 1")}
	case o.duration <= 0 || o.duration > time.Hour:
		return nil, usageError{errors.New("-d must be between 0 and 1h")}
	case (o.scenario == "sse" || o.scenario == "retro") && o.cookie == "" && o.email == "":
		return nil, usageError{fmt.Errorf("the %s scenario needs a signed-in user: -email and -password, or -cookie", o.scenario)}
	}
	u, err := url.Parse(o.base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usageError{fmt.Errorf("-base must be an http(s) URL, got %q", o.base)}
	}
	if !o.allowRemote && !loopback(u.Hostname()) {
		return nil, usageError{fmt.Errorf("-base %s is not a loopback address; pass -allow-remote to load-test your own remote server", u.Host)}
	}
	o.base = strings.TrimRight(o.base, "/")
	if o.triggerBase != "" {
		u, err := url.Parse(o.triggerBase)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, usageError{fmt.Errorf("-trigger-base must be an http(s) URL, got %q", o.triggerBase)}
		}
		if !o.allowRemote && !loopback(u.Hostname()) {
			return nil, usageError{fmt.Errorf("-trigger-base %s is not a loopback address; pass -allow-remote to load-test your own remote server", u.Host)}
		}
		o.triggerBase = strings.TrimRight(o.triggerBase, "/")
	}
	return o, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parse(args, stderr)
	if err != nil {
		return err
	}
	c, err := newClient(ctx, o)
	if err != nil {
		return err
	}
	var report any
	switch o.scenario {
	case "http":
		report, err = runHTTP(ctx, c, o)
	case "sse":
		tc := c
		if o.triggerBase != "" {
			to := *o
			to.base = o.triggerBase
			if tc, err = newClient(ctx, &to); err != nil {
				return err
			}
		}
		var trig Trigger
		trig, err = newFormTrigger(tc, o.triggerPost, o.triggerForm, o.markerRegexp)
		if err == nil {
			report, err = runSSE(ctx, c, o, trig)
		}
	case "retro":
		var trig Trigger
		if o.stream, trig, err = setupRetro(ctx, c, o); err == nil {
			report, err = runSSE(ctx, c, o, trig)
		}
	}
	if err != nil {
		return err
	}
	if o.jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	fmt.Fprint(stdout, report)
	return nil
}

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
