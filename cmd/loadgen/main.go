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
	"fmt"
	"io"
	"os"
	"os/signal"
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
