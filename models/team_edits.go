package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

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
