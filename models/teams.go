package models

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Team is a group of users that owns components and action items.
type Team struct {
	ID        int64
	Name      string
	Slug      string
	CreatedAt time.Time
	UpdatedAt time.Time
	// Notification targets (notifications.go); nil when not set.
	SlackWebhookURL *string `json:"-"`
	WebhookURL      *string `json:"-"`
	WebhookSecret   *string `json:"-"`
}

// Team member roles.
const (
	TeamRoleMember  = "member"
	TeamRoleManager = "manager"
)

// TeamMember links a user to a team.
type TeamMember struct {
	TeamID    int64 `gorm:"primaryKey;autoIncrement:false"`
	UserID    int64 `gorm:"primaryKey;autoIncrement:false"`
	Role      string
	CreatedAt time.Time
	User      *User `gorm:"foreignKey:UserID"`
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Slugify turns a name into a URL-friendly slug.
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-")
}

// ValidSlug reports whether s is a lowercase slug like "platform-sre".
func ValidSlug(s string) bool { return len(s) <= 64 && slugRE.MatchString(s) }

// NewTeam is the input for CreateTeam. Members are emails.
type NewTeam struct {
	Name     string
	Slug     string
	Members  []string
	Managers []string
}

// CreateTeam validates and stores a team with its members.
func CreateTeam(ctx context.Context, db *gorm.DB, actor Actor, in NewTeam) (*Team, error) {
	in.Name = CleanLine(in.Name)
	in.Slug = strings.TrimSpace(in.Slug)
	if in.Slug == "" {
		in.Slug = Slugify(in.Name)
	}
	v := &ValidationError{}
	if in.Name == "" {
		v.Add("name", "Enter a team name.")
	}
	if !ValidSlug(in.Slug) {
		v.Add("slug", "Use lowercase letters, digits and single dashes, like platform-sre.")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	t := &Team{Name: in.Name, Slug: in.Slug}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(t).Error; err != nil {
			if errors.Is(TranslateError(err), ErrDuplicate) {
				return FieldError("slug", "A team with this slug already exists.")
			}
			return err
		}
		if err := setMembers(ctx, tx, t.ID, in.Members, in.Managers); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditCreate, "team", t.ID, "created team "+t.Slug,
			map[string]Change{"members": {To: in.Members}, "managers": {To: in.Managers}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: create team: %w", TranslateError(err))
	}
	return t, nil
}

// UpdateTeam renames a team and replaces its members and managers.
func UpdateTeam(ctx context.Context, db *gorm.DB, actor Actor, id int64, name string, members, managers []string) error {
	name = CleanLine(name)
	if name == "" {
		return FieldError("name", "Enter a team name.")
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := GetTeam(ctx, tx, id)
		if err != nil {
			return err
		}
		oldMembers, oldManagers, err := teamEmails(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := tx.Model(&Team{}).Where("id = ?", id).Updates(map[string]any{"name": name, "updated_at": Now(tx)}).Error; err != nil {
			return err
		}
		if err := tx.Where("team_id = ?", id).Delete(&TeamMember{}).Error; err != nil {
			return err
		}
		if err := setMembers(ctx, tx, id, members, managers); err != nil {
			return err
		}
		newMembers, newManagers, err := teamEmails(ctx, tx, id)
		if err != nil {
			return err
		}
		changes := map[string]Change{}
		if t.Name != name {
			changes["name"] = Change{From: t.Name, To: name}
		}
		if strings.Join(oldMembers, ",") != strings.Join(newMembers, ",") {
			changes["members"] = Change{From: oldMembers, To: newMembers}
		}
		if strings.Join(oldManagers, ",") != strings.Join(newManagers, ",") {
			changes["managers"] = Change{From: oldManagers, To: newManagers}
		}
		return Audit(ctx, tx, actor, AuditUpdate, "team", id, "updated team "+t.Slug, changes)
	})
	if err != nil {
		return fmt.Errorf("models: update team %d: %w", id, TranslateError(err))
	}
	return nil
}

func setMembers(ctx context.Context, tx *gorm.DB, teamID int64, members, managers []string) error {
	roles := map[string]string{}
	for _, e := range members {
		if e = NormalizeEmail(e); e != "" {
			roles[e] = TeamRoleMember
		}
	}
	for _, e := range managers {
		if e = NormalizeEmail(e); e != "" {
			roles[e] = TeamRoleManager
		}
	}
	var unknown []string
	for email, role := range roles {
		u, err := GetUserByEmail(ctx, tx, email)
		if errors.Is(err, ErrNotFound) {
			unknown = append(unknown, email)
			continue
		}
		if err != nil {
			return err
		}
		m := TeamMember{TeamID: teamID, UserID: u.ID, Role: role, CreatedAt: Now(tx)}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&m).Error; err != nil {
			return err
		}
	}
	if len(unknown) > 0 {
		return FieldError("members", "No user with the email "+strings.Join(unknown, ", ")+"; create them first.")
	}
	return nil
}

func teamEmails(ctx context.Context, tx *gorm.DB, teamID int64) (members, managers []string, err error) {
	ms, err := TeamMembers(ctx, tx, teamID)
	if err != nil {
		return nil, nil, err
	}
	for _, m := range ms {
		if m.Role == TeamRoleManager {
			managers = append(managers, m.User.Email)
		} else {
			members = append(members, m.User.Email)
		}
	}
	return members, managers, nil
}

// GetTeam loads a team by ID.
func GetTeam(ctx context.Context, db *gorm.DB, id int64) (*Team, error) {
	var t Team
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&t).Error; err != nil {
		return nil, fmt.Errorf("models: get team %d: %w", id, TranslateError(err))
	}
	return &t, nil
}

// GetTeamBySlug loads a team by slug.
func GetTeamBySlug(ctx context.Context, db *gorm.DB, slug string) (*Team, error) {
	var t Team
	if err := db.WithContext(ctx).Where("slug = ?", slug).Take(&t).Error; err != nil {
		return nil, fmt.Errorf("models: get team %q: %w", slug, TranslateError(err))
	}
	return &t, nil
}

// ListTeams returns every team ordered by name.
func ListTeams(ctx context.Context, db *gorm.DB) ([]Team, error) {
	var out []Team
	if err := db.WithContext(ctx).Order("lower(name), id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: list teams: %w", TranslateError(err))
	}
	return out, nil
}

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
