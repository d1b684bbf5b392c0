package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// withDB parses the common settings plus extra flags, opens a migrated
// database and runs fn.
func withDB(ctx context.Context, e env, cmd string, args []string, extra func(*flag.FlagSet), fn func(db *gorm.DB, rest []string) error) error {
	cfg, rest, err := parseConfig(cmd, args, e.getenv, e.stderr, extra)
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
	if err := ensureSchema(ctx, cfg, db, log); err != nil {
		return err
	}
	return fn(db, rest)
}

// readPassword takes the password from stdin when it is not a terminal
// (a pipe or a file), else generates one; generated reports which.
func readPassword(stdin io.Reader) (pw string, generated bool, err error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return models.RandomPassword(), true, nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, fmt.Errorf("read password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return models.RandomPassword(), true, nil
	}
	return line, false, nil
}

func cliActor(what string) models.Actor { return models.SystemActor("command line: " + what) }

func cmdUser(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return usageError("user needs a subcommand: create, reset-password or disable")
	}
	sub, args := args[0], args[1:]
	var email, name, role string
	flags := func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "The user's email address.")
		if sub == "create" {
			fs.StringVar(&name, "name", "", "The user's display name.")
			fs.StringVar(&role, "role", "member", "viewer, member, facilitator or admin.")
		}
	}
	return withDB(ctx, e, "user "+sub, args, flags, func(db *gorm.DB, rest []string) error {
		if len(rest) > 0 {
			return usageError(fmt.Sprintf("user %s takes flags only, got %q", sub, rest))
		}
		if email == "" {
			return usageError("--email is required")
		}
		switch sub {
		case "create":
			pw, generated, err := readPassword(e.stdin)
			if err != nil {
				return err
			}
			u, err := models.CreateUser(ctx, db, cliActor("user create"), models.NewUser{Email: email, Name: name, Role: models.Role(role), Password: pw}, true)
			if err != nil {
				return validationLine(err)
			}
			fmt.Fprintf(e.stderr, "created %s %s <%s>\n", u.Role, u.Name, u.Email)
			if generated {
				fmt.Fprintf(e.stdout, "%s\n", pw)
				fmt.Fprintln(e.stderr, "the password above is shown once; share it safely")
			}
			return nil
		case "reset-password":
			u, err := models.GetUserByEmail(ctx, db, email)
			if err != nil {
				return fmt.Errorf("no user with email %s", email)
			}
			pw, generated, err := readPassword(e.stdin)
			if err != nil {
				return err
			}
			if err := models.SetPassword(ctx, db, cliActor("user reset-password"), u.ID, pw); err != nil {
				return validationLine(err)
			}
			fmt.Fprintf(e.stderr, "password of %s reset; their sessions are signed out\n", u.Email)
			if generated {
				fmt.Fprintf(e.stdout, "%s\n", pw)
			}
			return nil
		case "disable":
			u, err := models.GetUserByEmail(ctx, db, email)
			if err != nil {
				return fmt.Errorf("no user with email %s", email)
			}
			yes := true
			if _, err := models.UpdateUser(ctx, db, cliActor("user disable"), u.ID, models.UserUpdate{Disabled: &yes}); err != nil {
				return validationLine(err)
			}
			fmt.Fprintf(e.stderr, "disabled %s; their history stays\n", u.Email)
			return nil
		}
		return usageError(fmt.Sprintf("unknown user subcommand %q (create, reset-password, disable)", sub))
	})
}

func cmdToken(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return usageError("token needs the subcommand create")
	}
	var email, name string
	flags := func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "Whose token: the user's email address.")
		fs.StringVar(&name, "name", "", "What the token is for, e.g. \"CI pipeline\".")
	}
	return withDB(ctx, e, "token create", args[1:], flags, func(db *gorm.DB, rest []string) error {
		if email == "" || name == "" {
			return usageError("--email and --name are required")
		}
		u, err := models.GetUserByEmail(ctx, db, email)
		if err != nil {
			return fmt.Errorf("no user with email %s", email)
		}
		if u.Disabled {
			return fmt.Errorf("%s is disabled", email)
		}
		_, plain, err := models.CreateAPIToken(ctx, db, cliActor("token create"), u.ID, name)
		if err != nil {
			return validationLine(err)
		}
		fmt.Fprintln(e.stdout, plain)
		return nil
	})
}

// validationLine turns a validation error into one readable line.
func validationLine(err error) error {
	if ve, ok := models.AsValidation(err); ok {
		return usageError(strings.TrimPrefix(ve.Error(), "invalid input: "))
	}
	return err
}
