package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// User is a person who signs in to Debrief.
type User struct {
	ID           int64
	Email        string
	Name         string
	Role         Role
	TimeZone     string
	Disabled     bool
	PasswordHash string  `json:"-"`
	OIDCIssuer   *string `gorm:"column:oidc_issuer"`
	OIDCSubject  *string `gorm:"column:oidc_subject"`
	SessionEpoch int
	LastSignInAt *time.Time
	// MuteReminders stops reminder notifications to this user (notifications.go).
	MuteReminders bool
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Location is the user's time zone, or def when the user has none.
func (u *User) Location(def *time.Location) *time.Location {
	if u != nil && u.TimeZone != "" {
		if loc, err := time.LoadLocation(u.TimeZone); err == nil {
			return loc
		}
	}
	if def == nil {
		return time.UTC
	}
	return def
}

// NormalizeEmail trims and lower-cases an email address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// GetUser loads a user by ID.
func GetUser(ctx context.Context, db *gorm.DB, id int64) (*User, error) {
	var u User
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&u).Error; err != nil {
		return nil, fmt.Errorf("models: get user %d: %w", id, TranslateError(err))
	}
	return &u, nil
}

// GetUserByEmail loads a user by email address (case-insensitive).
func GetUserByEmail(ctx context.Context, db *gorm.DB, email string) (*User, error) {
	var u User
	if err := db.WithContext(ctx).Where("lower(email) = ?", NormalizeEmail(email)).Take(&u).Error; err != nil {
		return nil, fmt.Errorf("models: get user by email: %w", TranslateError(err))
	}
	return &u, nil
}

// CountUsers returns how many users exist.
func CountUsers(ctx context.Context, db *gorm.DB) (int64, error) {
	var n int64
	if err := db.WithContext(ctx).Model(&User{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("models: count users: %w", TranslateError(err))
	}
	return n, nil
}

// UserFilter narrows ListUsers.
type UserFilter struct {
	Query    string
	Role     Role
	Disabled *bool
	AfterID  int64
	Limit    int
}

// ListUsers returns users ordered by name.
func ListUsers(ctx context.Context, db *gorm.DB, f UserFilter) ([]User, error) {
	q := db.WithContext(ctx).Model(&User{})
	if f.Query != "" {
		like := "%" + strings.ToLower(f.Query) + "%"
		q = q.Where("lower(email) LIKE ? OR lower(name) LIKE ?", like, like)
	}
	if f.Role != "" {
		q = q.Where("role = ?", f.Role)
	}
	if f.Disabled != nil {
		q = q.Where("disabled = ?", *f.Disabled)
	}
	if f.AfterID > 0 {
		q = q.Where("id > ?", f.AfterID)
	}
	order := "lower(name), id"
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
		order = "id"
	}
	var out []User
	if err := q.Order(order).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: list users: %w", TranslateError(err))
	}
	return out, nil
}

func activeUserByEmail(ctx context.Context, db *gorm.DB, email string) (*User, error) {
	u, err := GetUserByEmail(ctx, db, NormalizeEmail(email))
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, ErrNotFound
	}
	return u, nil
}
