package models

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// UserUpdate changes a user's profile or access; nil fields stay.
type UserUpdate struct {
	Name     *string
	Role     *Role
	TimeZone *string
	Disabled *bool
}

// UpdateUser applies changes, ends the user's sessions when their access
// changed, and records the changed fields in the audit trail.
func UpdateUser(ctx context.Context, db *gorm.DB, actor Actor, id int64, up UserUpdate) (*User, error) {
	var out *User
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := GetUser(ctx, tx, id)
		if err != nil {
			return err
		}
		before := *u
		v := &ValidationError{}
		if up.Name != nil {
			n := CleanLine(*up.Name)
			if n == "" {
				v.Add("name", "Enter a name.")
			} else if utf8.RuneCountInString(n) > MaxNameLength {
				v.Add("name", fmt.Sprintf("Use at most %d characters.", MaxNameLength))
			}
			u.Name = n
		}
		if up.Role != nil {
			if !up.Role.Valid() {
				v.Add("role", "Choose viewer, member, facilitator or admin.")
			}
			u.Role = *up.Role
		}
		if up.TimeZone != nil {
			if *up.TimeZone != "" {
				if _, err := time.LoadLocation(*up.TimeZone); err != nil {
					v.Add("time_zone", "Choose a time zone from the list.")
				}
			}
			u.TimeZone = *up.TimeZone
		}
		if up.Disabled != nil {
			u.Disabled = *up.Disabled
		}
		if err := v.Err(); err != nil {
			return err
		}
		if before.Role == RoleAdmin && (u.Role != RoleAdmin || u.Disabled) {
			var admins int64
			if err := tx.Model(&User{}).Where("role = ? AND disabled = ? AND id <> ?", RoleAdmin, false, id).Count(&admins).Error; err != nil {
				return err
			}
			if admins == 0 {
				return FieldError("role", "Debrief needs at least one active admin; make someone else admin first.")
			}
		}
		if u.Role != before.Role || u.Disabled != before.Disabled {
			u.SessionEpoch++
		}
		u.UpdatedAt = Now(tx)
		if err := tx.Select("name", "role", "time_zone", "disabled", "session_epoch", "updated_at").Updates(u).Error; err != nil {
			return err
		}
		changes := Diff(before, *u, "Name", "Role", "TimeZone", "Disabled")
		action := AuditUpdate
		if before.Disabled != u.Disabled {
			action = AuditStateChange
		}
		out = u
		if len(changes) == 0 {
			return nil
		}
		return Audit(ctx, tx, actor, action, "user", u.ID, "updated user "+u.Email, changes)
	})
	if err != nil {
		return nil, fmt.Errorf("models: update user %d: %w", id, TranslateError(err))
	}
	return out, nil
}

// SetPassword replaces a user's password and ends their other sessions.
func SetPassword(ctx context.Context, db *gorm.DB, actor Actor, id int64, password string) error {
	if msg := checkPassword(password); msg != "" {
		return FieldError("password", msg)
	}
	h, err := HashPassword(password)
	if err != nil {
		return err
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{
			"password_hash": h, "session_epoch": gorm.Expr("session_epoch + 1"), "updated_at": Now(tx),
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return Audit(ctx, tx, actor, AuditUpdate, "user", id, "changed password", map[string]Change{"password": {From: "•••", To: "•••"}})
	})
	if err != nil {
		return fmt.Errorf("models: set password: %w", TranslateError(err))
	}
	return nil
}
