package pages

import (
	"context"
	"strconv"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// teamOptions lists the teams by slug for selects.
func (b base) teamOptions(ctx context.Context) ([]views.Option, error) {
	teams, err := models.ListTeams(ctx, b.DB)
	if err != nil {
		return nil, err
	}
	out := make([]views.Option, 0, len(teams))
	for _, t := range teams {
		out = append(out, views.Option{Value: t.Slug, Label: t.Name})
	}
	return out, nil
}

// userOptions lists active users (by email) of at least the role.
func (b base) userOptions(ctx context.Context, min models.Role) ([]views.Option, error) {
	users, err := b.activeUsers(ctx)
	if err != nil {
		return nil, err
	}
	return emailOptions(users, min), nil
}

// activeUsers are the users who can sign in, for the choices of a page
// (load them once and derive every list a page needs).
func (b base) activeUsers(ctx context.Context) ([]models.User, error) {
	off := false
	return models.ListUsers(ctx, b.DB, models.UserFilter{Disabled: &off})
}

// emailOptions offers the users with at least role min, by email.
func emailOptions(users []models.User, min models.Role) []views.Option {
	out := make([]views.Option, 0, len(users))
	for _, u := range users {
		if u.Role.Allows(min) {
			out = append(out, views.Option{Value: u.Email, Label: u.Name + " <" + u.Email + ">"})
		}
	}
	return out
}

// personOptions offers the users with at least role min, by ID, after
// "nobody yet".
func personOptions(users []models.User, min models.Role) []views.Option {
	out := []views.Option{{Value: "", Label: "— nobody yet —"}}
	for _, u := range users {
		if u.Role.Allows(min) {
			out = append(out, views.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name})
		}
	}
	return out
}
