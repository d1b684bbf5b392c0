package models

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// NewUser is the input for creating a user.
type NewUser struct {
	Email                   string
	Name                    string
	Role                    Role
	TimeZone                string
	Password                string // empty for SSO-only users
	OIDCIssuer, OIDCSubject string
}

func validateUser(in *NewUser, requirePassword bool) error {
	v := &ValidationError{}
	in.Email = NormalizeEmail(in.Email)
	in.Name = CleanLine(in.Name)
	if in.Email == "" {
		v.Add("email", "Enter an email address.")
	} else if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
		v.Add("email", "Enter a valid email address, like ada@example.com.")
	}
	if in.Name == "" {
		v.Add("name", "Enter a name.")
	} else if utf8.RuneCountInString(in.Name) > MaxNameLength {
		v.Add("name", fmt.Sprintf("Use at most %d characters.", MaxNameLength))
	}
	if !in.Role.Valid() {
		v.Add("role", "Choose viewer, member, facilitator or admin.")
	}
	if in.TimeZone != "" {
		if _, err := time.LoadLocation(in.TimeZone); err != nil {
			v.Add("time_zone", "Choose a time zone from the list (IANA name such as Europe/Berlin).")
		}
	}
	if requirePassword || in.Password != "" {
		if msg := checkPassword(in.Password); msg != "" {
			v.Add("password", msg)
		}
	}
	return v.Err()
}

// CreateUser validates and stores a new user, recording it in the audit
// trail.
func CreateUser(ctx context.Context, db *gorm.DB, actor Actor, in NewUser, requirePassword bool) (*User, error) {
	if err := validateUser(&in, requirePassword); err != nil {
		return nil, err
	}
	u := &User{Email: in.Email, Name: in.Name, Role: in.Role, TimeZone: in.TimeZone, SessionEpoch: 1}
	if in.OIDCSubject != "" {
		u.OIDCIssuer, u.OIDCSubject = &in.OIDCIssuer, &in.OIDCSubject
	}
	if in.Password != "" {
		h, err := HashPassword(in.Password)
		if err != nil {
			return nil, err
		}
		u.PasswordHash = h
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(u).Error; err != nil {
			if errors.Is(TranslateError(err), ErrDuplicate) {
				return FieldError("email", "A user with this email address already exists.")
			}
			return err
		}
		return Audit(ctx, tx, actor, AuditCreate, "user", u.ID, "created user "+u.Email+" ("+string(u.Role)+")", nil)
	})
	if err != nil {
		return nil, fmt.Errorf("models: create user: %w", TranslateError(err))
	}
	return u, nil
}
