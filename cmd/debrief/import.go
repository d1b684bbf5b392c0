package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/importing"
)

// cmdImport runs `debrief import incidents --mapping MAPPING.yaml FILE`:
// it reads a CSV or JSON file with the mapping and stores every row in one
// transaction, or none when any row is bad (exit code 1, with the rows and
// reasons). --dry-run checks and reports without writing.
func cmdImport(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "incidents" {
		return usageError("usage: debrief import incidents --mapping MAPPING.yaml [--dry-run] [--json] FILE")
	}
	var mappingPath string
	var dryRun, asJSON bool
	extra := func(fs *flag.FlagSet) {
		fs.StringVar(&mappingPath, "mapping", "", "YAML mapping of columns to incident fields (see docs/importing.md); \"default\" reads Debrief's own CSV export.")
		fs.BoolVar(&dryRun, "dry-run", false, "Check the file and report what would happen, without writing.")
		fs.BoolVar(&asJSON, "json", false, "Print the report as JSON.")
	}
	// Flags may come before or after the file name.
	flags, files := splitArgs(args[1:], map[string]bool{"dry-run": true, "json": true, "migrate": true})
	cfg, rest, err := parseConfig("import incidents", flags, e.getenv, e.stderr, extra)
	if err != nil {
		return err
	}
	files = append(files, rest...)
	if mappingPath == "" || len(files) != 1 {
		return usageError("usage: debrief import incidents --mapping MAPPING.yaml [--dry-run] [--json] FILE")
	}
	var src []byte
	if mappingPath == "default" {
		src = []byte(importing.DefaultMappingYAML)
	} else {
		b, err := os.ReadFile(mappingPath)
		if err != nil {
			return usageError(fmt.Sprintf("cannot read the mapping: %v", err))
		}
		src = b
	}
	mapping, err := importing.ParseMapping(src)
	if err != nil {
		return usageError(fmt.Sprintf("%s: %v", mappingPath, err))
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		return usageError(fmt.Sprintf("cannot read %s: %v", files[0], err))
	}
	log := cfg.logger(e.stderr)
	db, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	sqlDB, _ := db.DB()
	defer sqlDB.Close()
	if err := ensureSchema(ctx, cfg, db, log); err != nil {
		return err
	}
	lastPct := -1
	rep, err := importing.Run(ctx, db, models.SystemActor("import "+filepath.Base(files[0])), mapping, data, importing.Options{
		Filename: filepath.Base(files[0]), DryRun: dryRun, PreviewRows: 5,
		Progress: func(done, total int) {
			if pct := done * 100 / max(total, 1); pct/10 != lastPct/10 || done == total {
				lastPct = pct
				fmt.Fprintf(e.stderr, "writing: %d of %d (%d%%)\n", done, total, pct)
			}
		},
	})
	if err != nil {
		return fmt.Errorf("import %s: %w", files[0], err)
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printReport(e, files[0], rep)
	}
	if !rep.OK() {
		return importRejected{rep.Rejected}
	}
	return nil
}

// importRejected ends the command with exit code 1 after the report.
type importRejected struct{ n int }

func (r importRejected) Error() string {
	return fmt.Sprintf("%d rows rejected; nothing was imported", r.n)
}

func printReport(e env, file string, rep *importing.Report) {
	verb := "imported"
	switch {
	case rep.DryRun:
		verb = "checked (dry run, nothing written)"
	case !rep.OK():
		verb = "rejected (nothing written)"
	}
	fmt.Fprintf(e.stdout, "%s: %s %d rows as %s\n", file, verb, rep.Total, rep.Format)
	fmt.Fprintf(e.stdout, "  created:   %d\n  updated:   %d\n  unchanged: %d\n  rejected:  %d\n", rep.Created, rep.Updated, rep.Unchanged, rep.Rejected)
	if len(rep.ComponentsCreated) > 0 {
		fmt.Fprintf(e.stdout, "  new components: %v\n", rep.ComponentsCreated)
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(e.stdout, "warning: %s\n", w)
	}
	for _, er := range rep.Errors {
		fmt.Fprintf(e.stdout, "error: %s\n", er)
	}
}

// splitArgs separates flags (with their values) from positional
// arguments, wherever they stand; boolFlags take no value.
func splitArgs(args []string, boolFlags map[string]bool) (flags, positional []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return flags, append(positional, args[i+1:]...)
		}
		if len(a) < 2 || a[0] != '-' {
			positional = append(positional, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") || boolFlags[name] {
			continue
		}
		if i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return flags, positional
}
