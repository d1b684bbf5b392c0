package models

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"
)

// ActionItemInput is what a person sets on an action item. Owner is an
// email and Team a slug, as forms and the API send them; empty clears.
type ActionItemInput struct {
	Title       string
	Description string
	Priority    string
	Owner       string
	Team        string
	DueDate     string // YYYY-MM-DD or empty
	ExternalURL string
}

// resolved holds the foreign keys an input names.
type resolvedAction struct {
	ownerID, teamID *int64
	due             *Date
}

func resolveActionInput(ctx context.Context, db *gorm.DB, in *ActionItemInput) (resolvedAction, error) {
	var r resolvedAction
	v := &ValidationError{}
	in.Title = CleanLine(in.Title)
	in.Description = strings.TrimSpace(CleanText(in.Description))
	in.ExternalURL = strings.TrimSpace(in.ExternalURL)
	if in.Title == "" {
		v.Add("title", "Say what needs doing, in a few words.")
	} else if len([]rune(in.Title)) > 200 {
		v.Add("title", "Use at most 200 characters.")
	}
	if in.Priority == "" {
		in.Priority = PriorityMedium
	}
	if !oneOf(in.Priority, priorities...) {
		v.Add("priority", "Choose low, medium or high.")
	}
	if e := NormalizeEmail(in.Owner); e != "" {
		u, err := GetUserByEmail(ctx, db, e)
		switch {
		case errors.Is(err, ErrNotFound) || (err == nil && u.Disabled):
			v.Add("owner", "No active user has the email "+e+".")
		case err != nil:
			return r, err
		default:
			r.ownerID = &u.ID
		}
	}
	if s := strings.TrimSpace(in.Team); s != "" {
		t, err := GetTeamBySlug(ctx, db, s)
		switch {
		case errors.Is(err, ErrNotFound):
			v.Add("team", "No team has the slug "+s+".")
		case err != nil:
			return r, err
		default:
			r.teamID = &t.ID
		}
	}
	if d, err := DatePtr(in.DueDate); err != nil {
		v.Add("due_date", "Enter the due date as YYYY-MM-DD.")
	} else {
		r.due = d
	}
	if in.ExternalURL != "" && !validHTTPURL(in.ExternalURL) {
		v.Add("external_url", "Enter a full http(s) link to the ticket, like https://tracker.example.com/OPS-12.")
	}
	return r, v.Err()
}

func oneOf(s string, options ...string) bool {
	for _, o := range options {
		if s == o {
			return true
		}
	}
	return false
}
