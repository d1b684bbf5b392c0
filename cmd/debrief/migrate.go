package main

import (
	"context"
	"fmt"

	"github.com/debrief-sre/debrief/migrations"
)

func cmdMigrate(ctx context.Context, e env, args []string) error {
	cfg, rest, err := parseConfig("migrate", args, e.getenv, e.stderr, nil)
	if err != nil {
		return err
	}
	log := cfg.logger(e.stderr)
	db, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	sqlDB, _ := db.DB()
	defer sqlDB.Close()

	switch {
	case len(rest) == 0:
		if err := migrations.Apply(ctx, sqlDB, cfg.DSN.Dialect, log); err != nil {
			return err
		}
		m, err := migrations.New(sqlDB, cfg.DSN.Dialect, nil)
		if err != nil {
			return err
		}
		cur, _, err := m.Versions(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "database is up to date at version %d\n", cur)
		return nil
	case len(rest) == 1 && rest[0] == "status":
		m, err := migrations.New(sqlDB, cfg.DSN.Dialect, nil)
		if err != nil {
			return err
		}
		st, err := m.Status(ctx)
		if err != nil {
			return err
		}
		pending := 0
		for _, s := range st {
			state := "applied"
			if !s.Applied {
				state = "pending"
				pending++
			}
			if s.Line == migrations.LineRiver {
				// River's own schema (the job queue), numbered separately.
				fmt.Fprintf(e.stdout, "%-8s river %03d  %s\n", state, s.Version, s.Name)
				continue
			}
			fmt.Fprintf(e.stdout, "%-8s %05d  %s\n", state, s.Version, s.Name)
		}
		fmt.Fprintf(e.stdout, "%d applied, %d pending\n", len(st)-pending, pending)
		return nil
	}
	return usageError(fmt.Sprintf("migrate takes no argument or \"status\", got %q", rest))
}
