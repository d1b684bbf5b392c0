package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// APIToken is a personal token for the JSON API. Only its SHA-256 hash is
// stored; the token itself is shown once, when it is created.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Prefix     string
	TokenHash  string `json:"-"`
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// TableName names the table.
func (APIToken) TableName() string { return "api_tokens" }

const tokenPrefix = "dbf_"

func hashToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// CreateAPIToken makes a new token for the user and returns it with the
// plaintext, which is never stored.
func CreateAPIToken(ctx context.Context, db *gorm.DB, actor Actor, userID int64, name string) (*APIToken, string, error) {
	name = CleanLine(name)
	if name == "" {
		return nil, "", FieldError("name", "Name the token after where it is used, like \"CI pipeline\".")
	}
	if len(name) > 100 {
		return nil, "", FieldError("name", "Use at most 100 characters.")
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return nil, "", err
	}
	plain := tokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw))
	t := &APIToken{UserID: userID, Name: name, Prefix: plain[:len(tokenPrefix)+6], TokenHash: hashToken(plain)}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(t).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditCreate, "api_token", t.ID, "created API token "+name, nil)
	})
	if err != nil {
		return nil, "", fmt.Errorf("models: create token: %w", TranslateError(err))
	}
	return t, plain, nil
}

// ListAPITokens returns a user's tokens, newest first.
func ListAPITokens(ctx context.Context, db *gorm.DB, userID int64) ([]APIToken, error) {
	var out []APIToken
	if err := db.WithContext(ctx).Where("user_id = ?", userID).Order("id DESC").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: list tokens: %w", TranslateError(err))
	}
	return out, nil
}

// RevokeAPIToken revokes one of the user's tokens.
func RevokeAPIToken(ctx context.Context, db *gorm.DB, actor Actor, userID, tokenID int64) error {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&APIToken{}).Where("id = ? AND user_id = ? AND revoked_at IS NULL", tokenID, userID).Update("revoked_at", Now(tx))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return Audit(ctx, tx, actor, AuditStateChange, "api_token", tokenID, "revoked API token", nil)
	})
	if err != nil {
		return fmt.Errorf("models: revoke token: %w", TranslateError(err))
	}
	return nil
}

// ErrBadToken is any token that is unknown, revoked or whose user is
// disabled.
var ErrBadToken = errors.New("invalid or revoked API token")

// UserForToken returns the active user owning the token and notes when the
// token was last used (at most once a minute, to spare writes).
func UserForToken(ctx context.Context, db *gorm.DB, plain string) (*User, error) {
	if !strings.HasPrefix(plain, tokenPrefix) {
		return nil, ErrBadToken
	}
	var t APIToken
	err := db.WithContext(ctx).Where("token_hash = ? AND revoked_at IS NULL", hashToken(plain)).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrBadToken
	}
	if err != nil {
		return nil, fmt.Errorf("models: token: %w", TranslateError(err))
	}
	u, err := GetUser(ctx, db, t.UserID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, ErrBadToken
	}
	now := Now(db)
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		_ = db.WithContext(ctx).Model(&APIToken{}).Where("id = ?", t.ID).Update("last_used_at", now).Error
	}
	return u, nil
}
