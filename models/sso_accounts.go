package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// SSOIdentity is who an identity provider says signed in.
type SSOIdentity struct {
	Issuer, Subject string
	Email           string
	// EmailVerified: the provider vouches for the email (its
	// email_verified claim, or a provider trusted to verify).
	EmailVerified bool
	Name          string
	// IP is the client's address, for the audit trail.
	IP string
}

// SSOPolicy is how single sign-on treats new people.
type SSOPolicy struct {
	// AllowedDomains limits sign-in to these email domains (empty: any).
	AllowedDomains []string
	// DefaultRole is given to users created on their first sign-in
	// (member when empty).
	DefaultRole Role
}

// SSOUser finds the user of an SSO identity: by issuer and subject; then,
// once, an existing account with the provider's verified email is linked
// to it; else a new account is created. A refusal (disabled account,
// unverified email, a domain not allowed, an email linked to another
// identity) is a *StateError whose message the sign-in page shows.
func SSOUser(ctx context.Context, db *gorm.DB, id SSOIdentity, p SSOPolicy) (*User, error) {
	email := NormalizeEmail(id.Email)
	var u User
	err := db.WithContext(ctx).Where("oidc_issuer = ? AND oidc_subject = ?", id.Issuer, id.Subject).Take(&u).Error
	if err == nil {
		if u.Disabled {
			return nil, StateErrorf("This account is disabled. Ask an admin to enable it.")
		}
		return &u, nil
	}
	if err = TranslateError(err); !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("models: find SSO user: %w", err)
	}
	if email == "" || !id.EmailVerified {
		return nil, StateErrorf("The provider did not confirm an email address for this account.")
	}
	domain := email[strings.LastIndex(email, "@")+1:]
	if !domainAllowed(domain, p.AllowedDomains) {
		return nil, StateErrorf("Accounts from %s may not sign in here.", domain)
	}
	existing, err := GetUserByEmail(ctx, db, email)
	switch {
	case err == nil:
		return linkSSO(ctx, db, existing, id)
	case !errors.Is(err, ErrNotFound):
		return nil, err
	}
	name := id.Name
	if name == "" {
		name = email[:strings.Index(email, "@")]
	}
	role := p.DefaultRole
	if role == "" {
		role = RoleMember
	}
	return CreateUser(ctx, db, SystemActor("single sign-on"), NewUser{
		Email: email, Name: name, Role: role, OIDCIssuer: id.Issuer, OIDCSubject: id.Subject,
	}, false)
}

// linkSSO links an existing account to its first SSO identity.
func linkSSO(ctx context.Context, db *gorm.DB, u *User, id SSOIdentity) (*User, error) {
	if u.Disabled {
		return nil, StateErrorf("This account is disabled. Ask an admin to enable it.")
	}
	if u.OIDCSubject != nil {
		return nil, StateErrorf("This email is linked to another single sign-on identity.")
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&User{}).Where("id = ? AND oidc_subject IS NULL", u.ID).
			Updates(map[string]any{"oidc_issuer": id.Issuer, "oidc_subject": id.Subject, "updated_at": Now(tx)})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return StateErrorf("This email is linked to another single sign-on identity.")
		}
		return Audit(ctx, tx, ActorOf(u, id.IP), AuditUpdate, "user", u.ID, "linked single sign-on identity", nil)
	})
	if err != nil {
		return nil, fmt.Errorf("models: link SSO identity of user %d: %w", u.ID, TranslateError(err))
	}
	return GetUser(ctx, db, u.ID)
}

func domainAllowed(domain string, allowed []string) bool {
	if len(allowed) == 0 {
		return true
	}
	for _, d := range allowed {
		if strings.EqualFold(strings.TrimPrefix(strings.TrimSpace(d), "@"), domain) {
			return true
		}
	}
	return false
}
