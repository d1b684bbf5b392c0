package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// TeamMembers returns a team's members with their users, managers first.
func TeamMembers(ctx context.Context, db *gorm.DB, teamID int64) ([]TeamMember, error) {
	var out []TeamMember
	err := db.WithContext(ctx).Preload("User").Where("team_id = ?", teamID).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: team members: %w", TranslateError(err))
	}
	sortMembers(out)
	return out, nil
}

func sortMembers(ms []TeamMember) {
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && memberLess(ms[j], ms[j-1]); j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

func memberLess(a, b TeamMember) bool {
	if a.Role != b.Role {
		return a.Role == TeamRoleManager
	}
	return strings.ToLower(a.User.Name) < strings.ToLower(b.User.Name)
}

// TeamsOfUser returns the teams a user belongs to.
func TeamsOfUser(ctx context.Context, db *gorm.DB, userID int64) ([]Team, error) {
	var out []Team
	err := db.WithContext(ctx).Joins("JOIN team_members ON team_members.team_id = teams.id").
		Where("team_members.user_id = ?", userID).Order("lower(teams.name)").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: teams of user: %w", TranslateError(err))
	}
	return out, nil
}

// MembersByTeam returns every team's members with their users, keyed by
// team ID, in one query.
func MembersByTeam(ctx context.Context, db *gorm.DB) (map[int64][]TeamMember, error) {
	var all []TeamMember
	if err := db.WithContext(ctx).Preload("User").Find(&all).Error; err != nil {
		return nil, fmt.Errorf("models: members by team: %w", TranslateError(err))
	}
	out := map[int64][]TeamMember{}
	for _, m := range all {
		out[m.TeamID] = append(out[m.TeamID], m)
	}
	for k := range out {
		sortMembers(out[k])
	}
	return out, nil
}

// TeamNamesByUser returns the names of each user's teams, keyed by user ID.
func TeamNamesByUser(ctx context.Context, db *gorm.DB) (map[int64][]string, error) {
	var rows []struct {
		UserID int64
		Name   string
	}
	err := db.WithContext(ctx).Table("team_members").Select("team_members.user_id, teams.name").
		Joins("JOIN teams ON teams.id = team_members.team_id").Order("lower(teams.name)").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: team names: %w", TranslateError(err))
	}
	out := map[int64][]string{}
	for _, r := range rows {
		out[r.UserID] = append(out[r.UserID], r.Name)
	}
	return out, nil
}
