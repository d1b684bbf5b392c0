package models

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"
	"syscall"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// Sentinel errors of the domain. Wrap them with %w and a package prefix;
// the HTTP layer maps them to status codes in one place.
var (
	ErrNotFound    = errors.New("not found")
	ErrForbidden   = errors.New("forbidden")
	ErrDuplicate   = errors.New("already exists")
	ErrUnavailable = errors.New("database unavailable")
	// ErrStorageFull is a write the database could not store: its disk is
	// full, or its file or file system is read-only. Reads still work.
	ErrStorageFull = errors.New("database storage full or read-only")
	// ErrInvalidState is an illegal state transition (e.g. completing a
	// draft). Rules return it as a StateError, which says why.
	ErrInvalidState = errors.New("not allowed in the current state")
)

// StateError says a rule refused a change in the current state ("the
// review is closed"). Message is what a person reads: a whole sentence,
// capitalised and ending with a full stop. errors.Is(err,
// ErrInvalidState) holds for it.
type StateError struct {
	Message string
}

// StateErrorf builds a StateError from a sentence; it makes sure the
// message starts with a capital and ends with a full stop.
func StateErrorf(format string, args ...any) *StateError {
	return &StateError{Message: sentence(fmt.Sprintf(format, args...))}
}

// Error is the message for logs: "not allowed in the current state: the
// review is closed".
func (e *StateError) Error() string {
	return ErrInvalidState.Error() + ": " + asClause(e.Message)
}

// Unwrap makes errors.Is(err, ErrInvalidState) hold.
func (e *StateError) Unwrap() error { return ErrInvalidState }

// UserMessage is Message.
func (e *StateError) UserMessage() string { return e.Message }

// ConflictError says an update was based on a stale version. Current holds
// the record as it is now and Submitted, where the caller has it, what the
// refused update would have stored, so the UI can show both values.
// Message, when set, is what a person reads instead of the default.
type ConflictError struct {
	What      string
	Current   any
	Submitted any
	Message   string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s was changed by someone else", e.What)
}

// UserMessage is Message, or a sentence naming What.
func (e *ConflictError) UserMessage() string {
	if e.Message != "" {
		return e.Message
	}
	return sentence("this " + e.What + " was changed by someone else")
}

// UserMessage returns the sentence a typed error of the domain carries for
// the person whose change it refused (StateError, ConflictError,
// ValidationError); ok is false for other errors, whose text is not meant
// for people.
func UserMessage(err error) (msg string, ok bool) {
	var m interface{ UserMessage() string }
	if errors.As(err, &m) {
		return m.UserMessage(), true
	}
	return "", false
}

// sentence capitalises s and ends it with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "That is not allowed right now."
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}

// asClause is a sentence as part of an error text: without its full stop
// and with a lower-case first letter unless the first word is an acronym.
func asClause(s string) string {
	s = strings.TrimSuffix(s, ".")
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	if next, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// ValidationError carries a message per bad field (keys are form/JSON field
// names) plus optional messages about the whole input.
type ValidationError struct {
	Fields map[string]string
	Global []string
}

func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Fields)+len(e.Global))
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, k+": "+e.Fields[k])
	}
	parts = append(parts, e.Global...)
	return "invalid input: " + strings.Join(parts, "; ")
}

// Add records a message for field, keeping the first one.
func (e *ValidationError) Add(field, msg string) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = msg
	}
}

// AddGlobal records a message about the input as a whole.
func (e *ValidationError) AddGlobal(msg string) { e.Global = append(e.Global, msg) }

// UserMessage is the one message e holds, or a sentence asking to look at
// the fields when it holds several.
func (e *ValidationError) UserMessage() string {
	if len(e.Fields)+len(e.Global) == 1 {
		for _, m := range e.Fields {
			return m
		}
		return e.Global[0]
	}
	return "Some fields need attention."
}

// Err returns e when it holds messages and nil otherwise.
func (e *ValidationError) Err() error {
	if e == nil || (len(e.Fields) == 0 && len(e.Global) == 0) {
		return nil
	}
	return e
}

// FieldError is a shorthand for a ValidationError with one field.
func FieldError(field, msg string) error {
	v := &ValidationError{}
	v.Add(field, msg)
	return v
}

// AsValidation returns the ValidationError inside err, if any.
func AsValidation(err error) (*ValidationError, bool) {
	var v *ValidationError
	ok := errors.As(err, &v)
	return v, ok
}

// AsConflict returns the ConflictError inside err, if any.
func AsConflict(err error) (*ConflictError, bool) {
	var c *ConflictError
	ok := errors.As(err, &c)
	return c, ok
}

// TranslateError maps driver errors to the domain sentinels: missing rows to
// ErrNotFound, unique violations to ErrDuplicate and lost connections to
// ErrUnavailable. Other errors pass through unchanged.
func TranslateError(err error) error {
	if err == nil {
		return nil
	}
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("%w: %w", ErrDuplicate, err)
	case isUnavailable(err):
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	case IsStorageFull(err):
		return fmt.Errorf("%w: %w", ErrStorageFull, err)
	}
	return err
}

// IsStorageFull reports whether err says the database cannot store a
// write: SQLite's SQLITE_FULL and SQLITE_READONLY, PostgreSQL's disk_full
// (53100) and read_only_sql_transaction (25006), ENOSPC and EROFS. The
// HTTP layer checks it as well as ErrStorageFull, since not every write
// path translates its errors.
func IsStorageFull(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrStorageFull) || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EROFS) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "53100" || pe.Code == "25006") {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "database or disk is full") || strings.Contains(msg, "attempt to write a readonly database") ||
		strings.Contains(msg, "no space left on device")
}

func isUnavailable(err error) bool {
	if errors.Is(err, ErrUnavailable) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
		switch pe.Code {
		case "57P01", "57P02", "57P03", "53300":
			return true
		}
	}
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "connection refused") ||
		strings.Contains(msg, "unexpected EOF") || strings.Contains(msg, "failed to connect")
}
