package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"text/tabwriter"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/cmd/debrief/demo"
)

// cmdDemo runs `debrief demo`: it fills an EMPTY database with a realistic
// organisation (see package demo) and prints how to sign in. On a database
// that holds anything it refuses, naming what it found (exit code 1).
func cmdDemo(ctx context.Context, e env, args []string) error {
	var password string
	extra := func(fs *flag.FlagSet) {
		fs.StringVar(&password, "password", demo.DefaultPassword, "Password of every demo user (at least 12 characters).")
	}
	return withDB(ctx, e, "demo", args, extra, func(db *gorm.DB, rest []string) error {
		if len(rest) > 0 {
			return usageError("usage: debrief demo [--password P] (with DATABASE_URL naming an empty database)")
		}
		if err := demo.CheckEmpty(ctx, db); err != nil {
			var ne *demo.NotEmptyError
			if errors.As(err, &ne) {
				return fmt.Errorf("demo: %w", err)
			}
			return err
		}
		fmt.Fprintln(e.stderr, "Filling the database with the Northwind demo organisation…")
		res, err := demo.Seed(ctx, db, demo.Options{Password: password, Progress: func(step string) {
			fmt.Fprintf(e.stderr, "  %s\n", step)
		}})
		if err != nil {
			return err
		}
		printDemo(e, res)
		return nil
	})
}

func printDemo(e env, res *demo.Result) {
	w := e.stdout
	fmt.Fprintf(w, "\nDemo ready: %d teams, %d people, %d components, %d incidents of our own (with %d timeline events) and %d public cloud post-mortems as history, %d postmortems (%d with a finished retro), %d reviews, %d findings, %d action items.\n\n",
		res.Teams, res.Users, res.Components+3, res.Incidents, res.TimelineEvents, res.CloudIncidents, res.Postmortems, res.Retros, res.Reviews, res.Findings, res.Actions)
	fmt.Fprintln(w, "Sign in with any of these (every demo user has the same password):")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "  ROLE\tEMAIL\tPASSWORD\tWHO")
	for _, c := range res.Credentials {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", c.Role, c.Email, c.Password, c.About)
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Start the server with `debrief serve` (same DATABASE_URL) and open Insights first.")
	fmt.Fprintln(w, "The cloud post-mortems are from the ISSRE 2022 collection (IntelligentDDS/Post-mortems-Analysis),")
	fmt.Fprintln(w, "flattened by brute-yanka/Post-mortems-Analysis, MIT licence, copyright 2026 Peter Onadi.")
}
