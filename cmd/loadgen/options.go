package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"
)

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
