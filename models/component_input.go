package models

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"
)

// Link kinds suggested in forms; any short word is accepted.
var linkKinds = []string{"dashboard", "runbook", "repository", "on-call", "docs"}

// ComponentInput is what a person sets on a component. Team is a team
// slug (empty: no owning team); ReviewIntervalDays 0 takes the tier's
// default.
type ComponentInput struct {
	Name               string
	Slug               string
	Team               string
	Tier               int
	Description        string
	Links              []Link
	Tags               []string
	ReviewIntervalDays int
}

// ParseLinks reads one link per line as "Title | URL" or
// "Title | URL | kind", as the component form shows them.
func ParseLinks(text string) ([]Link, error) {
	var out []Link
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		parts := strings.Split(line, "|")
		for j := range parts {
			parts[j] = strings.TrimSpace(parts[j])
		}
		var l Link
		switch len(parts) {
		case 1:
			l = Link{Title: parts[0], URL: parts[0]}
		case 2:
			l = Link{Title: parts[0], URL: parts[1]}
		case 3:
			l = Link{Title: parts[0], URL: parts[1], Kind: strings.ToLower(parts[2])}
		default:
			return nil, fmt.Errorf("line %d: write Title | URL or Title | URL | kind", i+1)
		}
		if !validHTTPURL(l.URL) {
			return nil, fmt.Errorf("line %d: %q is not a full http(s) link", i+1, l.URL)
		}
		out = append(out, l)
	}
	return out, nil
}

// FormatLinks writes links in the form ParseLinks reads.
func FormatLinks(links []Link) string {
	var b strings.Builder
	for _, l := range links {
		b.WriteString(l.Title + " | " + l.URL)
		if l.Kind != "" {
			b.WriteString(" | " + l.Kind)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// ParseTags splits a comma- or space-separated list into tags.
func ParseTags(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' })
}

func normalizeComponent(ctx context.Context, db *gorm.DB, in *ComponentInput, creating bool) (*int64, error) {
	v := &ValidationError{}
	in.Name = CleanLine(in.Name)
	in.Slug = strings.TrimSpace(in.Slug)
	in.Description = strings.TrimSpace(CleanText(in.Description))
	if in.Name == "" {
		v.Add("name", "Enter the component's name, like “Postgres fleet”.")
	} else if len([]rune(in.Name)) > 120 {
		v.Add("name", "Use at most 120 characters.")
	}
	if creating {
		if in.Slug == "" {
			in.Slug = Slugify(in.Name)
		}
		if !ValidSlug(in.Slug) {
			v.Add("slug", "Use lowercase letters, digits and single dashes, like postgres-fleet.")
		}
	}
	if in.Tier == 0 {
		in.Tier = 2
	}
	if in.Tier < 1 || in.Tier > 3 {
		v.Add("tier", "Choose tier 1 (most critical), 2 or 3.")
	}
	if in.ReviewIntervalDays == 0 {
		in.ReviewIntervalDays = DefaultReviewInterval(in.Tier)
	}
	if in.ReviewIntervalDays < 1 || in.ReviewIntervalDays > 3650 {
		v.Add("review_interval_days", "Use a number of days from 1 to 3650.")
	}
	for i, l := range in.Links {
		l.Title, l.URL, l.Kind = CleanLine(l.Title), strings.TrimSpace(l.URL), CleanLine(l.Kind)
		if l.Title == "" {
			l.Title = l.URL
		}
		if !validHTTPURL(l.URL) {
			v.Add("links", fmt.Sprintf("Link %d: %q is not a full http(s) link.", i+1, l.URL))
		}
		in.Links[i] = l
	}
	seen := map[string]bool{}
	var tags []string
	for _, t := range in.Tags {
		t = Slugify(t)
		if t == "" || seen[t] {
			continue
		}
		if len(t) > 40 {
			v.Add("tags", "Keep each tag under 40 characters.")
		}
		seen[t] = true
		tags = append(tags, t)
	}
	sort.Strings(tags)
	in.Tags = tags
	var teamID *int64
	if s := strings.TrimSpace(in.Team); s != "" {
		t, err := GetTeamBySlug(ctx, db, s)
		switch {
		case errors.Is(err, ErrNotFound):
			v.Add("team", "No team has the slug "+s+".")
		case err != nil:
			return nil, err
		default:
			teamID = &t.ID
		}
	}
	return teamID, v.Err()
}

// ValidateComponentInput checks input without storing anything, so a form
// with one unparseable field can still report every other problem.
func ValidateComponentInput(ctx context.Context, db *gorm.DB, in ComponentInput, creating bool) error {
	_, err := normalizeComponent(ctx, db, &in, creating)
	return err
}
