package models

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Role is what a user may do. Each role includes the ones before it:
// viewer reads; member creates and edits content, answers reviews and owns
// action items; facilitator also runs reviews and retros; admin also manages
// users, teams, templates, severities and settings.
type Role string

// The roles, weakest first.
const (
	RoleViewer      Role = "viewer"
	RoleMember      Role = "member"
	RoleFacilitator Role = "facilitator"
	RoleAdmin       Role = "admin"
)

// allRoles lists every role, weakest first.
var allRoles = []Role{RoleViewer, RoleMember, RoleFacilitator, RoleAdmin}

func (r Role) rank() int {
	for i, x := range allRoles {
		if x == r {
			return i + 1
		}
	}
	return 0
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.rank() > 0 }

// Allows reports whether r includes the rights of min.
func (r Role) Allows(min Role) bool { return r.Valid() && r.rank() >= min.rank() }

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

// NewUser is the input for creating a user.
type NewUser struct {
	Email                   string
	Name                    string
	Role                    Role
	TimeZone                string
	Password                string // empty for SSO-only users
	OIDCIssuer, OIDCSubject string
}

// NormalizeEmail trims and lower-cases an email address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

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
	} else if len(in.Name) > 120 {
		v.Add("name", "Use at most 120 characters.")
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

func checkPassword(p string) string {
	if len([]rune(p)) < MinPasswordLength {
		return fmt.Sprintf("Use at least %d characters.", MinPasswordLength)
	}
	if len(p) > 512 {
		return "Use at most 512 characters."
	}
	return ""
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
