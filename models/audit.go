package models

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// Actor is who performs a change: a signed-in user, or the system (CLI,
// background jobs, webhooks). Every domain function that changes data
// takes one and records it in the audit trail.
type Actor struct {
	UserID int64 // 0 for the system
	Name   string
	IP     string
}

// SystemActor is the actor for changes made by Debrief itself.
func SystemActor(what string) Actor { return Actor{Name: "system: " + what} }

// ActorOf is the actor for a signed-in user.
func ActorOf(u *User, ip string) Actor {
	if u == nil {
		return SystemActor("anonymous")
	}
	return Actor{UserID: u.ID, Name: u.Name, IP: ip}
}

// Audit actions.
const (
	AuditSignIn       = "sign_in"
	AuditSignInFailed = "sign_in_failed"
	AuditSignOut      = "sign_out"
	AuditCreate       = "create"
	AuditUpdate       = "update"
	AuditDelete       = "delete"
	AuditStateChange  = "state_change"
)

// Change is the before and after of one changed field.
type Change struct {
	From any `json:"from"`
	To   any `json:"to"`
}

// AuditEntry is one row of the append-only audit trail.
type AuditEntry struct {
	ID         int64
	At         time.Time
	ActorID    *int64
	ActorName  string
	IP         string
	Action     string
	ObjectType string
	ObjectID   string
	Summary    string
	Changes    string // JSON object of field → Change
}

// TableName keeps the table name singular.
func (AuditEntry) TableName() string { return "audit_log" }

// ChangeMap decodes Changes.
func (e AuditEntry) ChangeMap() map[string]Change {
	m := map[string]Change{}
	_ = json.Unmarshal([]byte(e.Changes), &m)
	return m
}

// Audit appends an entry to the audit trail. Call it inside the
// transaction that makes the change, so both are stored or neither.
// objectID may be an int64, an int or a string.
func Audit(ctx context.Context, db *gorm.DB, actor Actor, action, objectType string, objectID any, summary string, changes map[string]Change) error {
	e, err := auditEntry(Now(db), actor, action, objectType, objectID, summary, changes)
	if err != nil {
		return err
	}
	if err := db.WithContext(ctx).Create(&e).Error; err != nil {
		return fmt.Errorf("models: audit: %w", TranslateError(err))
	}
	return nil
}

// auditEntry builds the entry Audit stores, for batch inserts.
func auditEntry(at time.Time, actor Actor, action, objectType string, objectID any, summary string, changes map[string]Change) (AuditEntry, error) {
	bounded := make(map[string]Change, len(changes))
	for k, c := range changes {
		bounded[k] = Change{From: boundAudited(c.From), To: boundAudited(c.To)}
	}
	b, err := json.Marshal(bounded)
	if err != nil {
		return AuditEntry{}, fmt.Errorf("models: audit: %w", err)
	}
	e := AuditEntry{
		At: UTC(at), ActorName: actor.Name, IP: actor.IP, Action: action,
		ObjectType: objectType, ObjectID: idString(objectID), Summary: truncate(summary, MaxAuditText), Changes: string(b),
	}
	e.ActorName = truncate(e.ActorName, MaxNameLength)
	if e.ActorName == "" {
		e.ActorName = "system"
	}
	if actor.UserID != 0 {
		id := actor.UserID
		e.ActorID = &id
	}
	return e, nil
}

// insertBatch is the number of rows per INSERT when many rows are stored
// at once (well under both dialects' limits on bound parameters).
const insertBatch = 200

// auditAll stores entries built by auditEntry, in their order, in batches.
func auditAll(ctx context.Context, db *gorm.DB, entries []AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	if err := db.WithContext(ctx).CreateInBatches(entries, insertBatch).Error; err != nil {
		return fmt.Errorf("models: audit: %w", TranslateError(err))
	}
	return nil
}

func idString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// Diff compares the named fields of two values of the same struct type and
// returns the ones that differ, keyed by snake_case field name. Pointers are
// compared by the values they point to.
func Diff(before, after any, fields ...string) map[string]Change {
	out := map[string]Change{}
	bv, av := reflect.Indirect(reflect.ValueOf(before)), reflect.Indirect(reflect.ValueOf(after))
	for _, f := range fields {
		b, a := deref(bv.FieldByName(f)), deref(av.FieldByName(f))
		if !reflect.DeepEqual(b, a) {
			out[snake(f)] = Change{From: b, To: a}
		}
	}
	return out
}

func deref(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if t, ok := v.Interface().(time.Time); ok {
		return t.UTC().Format(time.RFC3339)
	}
	return v.Interface()
}

func snake(s string) string {
	var out []rune
	rs := []rune(s)
	for i, r := range rs {
		if r >= 'A' && r <= 'Z' {
			if i > 0 && (rs[i-1] < 'A' || rs[i-1] > 'Z' || (i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z')) {
				out = append(out, '_')
			}
			r += 'a' - 'A'
		}
		out = append(out, r)
	}
	return string(out)
}

// AuditFilter narrows ListAudit.
type AuditFilter struct {
	ActorID    int64
	ObjectType string
	ObjectID   string
	Action     string
	From, To   *time.Time // To is exclusive
	BeforeID   int64      // for paging backwards in time
	Limit      int
}

// ListAudit returns entries, newest first.
func ListAudit(ctx context.Context, db *gorm.DB, f AuditFilter) ([]AuditEntry, error) {
	q := db.WithContext(ctx).Model(&AuditEntry{})
	if f.ActorID != 0 {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.ObjectType != "" {
		q = q.Where("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		q = q.Where("object_id = ?", f.ObjectID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.From != nil {
		q = q.Where("at >= ?", UTC(*f.From))
	}
	if f.To != nil {
		q = q.Where("at < ?", UTC(*f.To))
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	var out []AuditEntry
	if err := q.Order("id DESC").Limit(f.Limit).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: list audit: %w", TranslateError(err))
	}
	return out, nil
}

// AuditObjectTypes lists the object types present in the trail.
func AuditObjectTypes(ctx context.Context, db *gorm.DB) ([]string, error) {
	var out []string
	if err := db.WithContext(ctx).Model(&AuditEntry{}).Distinct("object_type").Order("object_type").Pluck("object_type", &out).Error; err != nil {
		return nil, fmt.Errorf("models: audit types: %w", TranslateError(err))
	}
	return out, nil
}

// MaxAuditText is the most characters of any text an audit row keeps (the
// summary, each changed value): the trail can never be deleted, so what
// it stores is bounded whatever a request carried.
const MaxAuditText = 500

// boundAudited shortens a changed value that is text.
func boundAudited(v any) any {
	if s, ok := v.(string); ok {
		return truncate(s, MaxAuditText)
	}
	return v
}
