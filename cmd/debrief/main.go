// Command debrief runs Debrief: a self-hosted web app in which SRE teams
// learn from operations.
//
//	debrief [serve]        serve the web app (the default)
//	debrief migrate        apply pending database migrations
//	debrief migrate status list applied and pending migrations
//	debrief user …         create users, reset passwords, disable users
//	debrief token create   create an API token
//	debrief import incidents --mapping MAPPING.yaml FILE
//	debrief demo           fill an empty database with a demo organisation
//	debrief backup FILE    copy the live SQLite database to FILE
//	debrief restore FILE   put a backup where DATABASE_URL points (SQLite)
//	debrief version        print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// env is what a command gets from the process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// run dispatches the subcommand and returns the process exit code:
// 0 success, 1 failure, 2 bad usage or configuration.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = cmdServe(ctx, e, args, serveOptions{})
	case "migrate":
		err = cmdMigrate(ctx, e, args)
	case "user":
		err = cmdUser(ctx, e, args)
	case "token":
		err = cmdToken(ctx, e, args)
	case "import":
		err = cmdImport(ctx, e, args)
	case "demo":
		err = cmdDemo(ctx, e, args)
	case "backup":
		err = cmdBackup(ctx, e, args)
	case "restore":
		err = cmdRestore(ctx, e, args)
	case "version":
		fmt.Fprintln(stdout, "debrief", versionString())
		return 0
	case "help", "-h", "--help":
		usage(stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "debrief: unknown command %q\n\n", cmd)
		usage(stderr)
		return 2
	}
	return exitCode(err, stderr)
}

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var ce *configError
	var ue usageError
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ce):
		fmt.Fprintf(stderr, "debrief: %v\n", ce)
		return 2
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "debrief: %v\n", ue)
		return 2
	}
	fmt.Fprintf(stderr, "debrief: %v\n", err)
	return 1
}

// usageError is a wrong use of a command (exit code 2).
type usageError string

func (u usageError) Error() string { return string(u) }

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage: debrief [command] [flags]

Commands:
  serve              serve the web app (default)
  migrate            apply pending database migrations
  migrate status     list applied and pending migrations
  user create --email E --name N --role R
                     create a user (password from stdin, or generated and printed)
  user reset-password --email E
                     set a new password (from stdin, or generated and printed)
  user disable --email E
                     disable a user (their history stays)
  token create --email E --name NAME
                     create an API token and print it (only the token, on stdout)
  import incidents --mapping MAPPING.yaml FILE
                     import incidents from CSV or JSON (all rows or none)
  demo [--password P]
                     fill an EMPTY database with a demo organisation and print sign-ins
  backup FILE        copy the SQLite database to FILE while Debrief runs
                     (PostgreSQL: use pg_dump, see the README)
  restore FILE       restore a backup to DATABASE_URL's path, which must not
                     exist, with Debrief stopped (PostgreSQL: use pg_restore)
  version            print the version

Run "debrief serve -h" for the settings; each flag has an environment
variable of the same meaning.
`)
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
