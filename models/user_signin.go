package models

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// ErrBadCredentials is the one answer to a failed sign-in, whatever the
// reason, so nobody can learn which accounts exist.
var ErrBadCredentials = errors.New("that email and password do not match an active account")

// Authenticate checks an email and password. Unknown accounts, disabled
// accounts and wrong passwords all give ErrBadCredentials, after the same
// amount of hashing work.
func Authenticate(ctx context.Context, db *gorm.DB, email, password string) (*User, error) {
	u, err := GetUserByEmail(ctx, db, email)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	hash := dummyHash
	if u != nil && u.PasswordHash != "" {
		hash = u.PasswordHash
	}
	ok, verr := VerifyPassword(hash, password)
	if verr != nil || !ok || u == nil || u.Disabled || u.PasswordHash == "" {
		return nil, ErrBadCredentials
	}
	return u, nil
}

// RecordSignIn stores the time of a successful sign-in and audits it.
func RecordSignIn(ctx context.Context, db *gorm.DB, u *User, ip, method string) error {
	now := Now(db)
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Update("last_sign_in_at", now).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, Actor{UserID: u.ID, Name: u.Name, IP: ip}, AuditSignIn, "user", u.ID, "signed in with "+method, nil)
	})
}
