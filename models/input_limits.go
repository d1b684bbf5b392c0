package models

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Lengths every text field is held to at the edge, before any handler
// runs (app's input guard) and again where a model validates its input.
// They are documented in the README ("Limits").
const (
	MaxEmailLength = 254 // RFC 5321's path limit
	MaxNameLength  = 120 // people, teams, components, integrations
	// MaxTitleLength (incidents.go) is 200 and MaxMarkdownLength 100,000
	// characters: any field not named below is held to the latter.
	MaxSecretLength = 1024 // passwords and tokens
)

// FieldLimit is the most characters a text field named name may hold.
// Names are matched as forms and JSON spell them: "email",
// "owner_email", "name", "display_name", "title", "password", …
func FieldLimit(name string) int {
	n := strings.ToLower(name)
	switch {
	case n == "email" || strings.HasSuffix(n, "_email") || n == "approver" || n == "owner" || n == "assignee":
		return MaxEmailLength
	case n == "name" || strings.HasSuffix(n, "_name"):
		return MaxNameLength
	case n == "title" || strings.HasSuffix(n, "_title"):
		return MaxTitleLength
	case n == "tag":
		return MaxTagLength
	case strings.Contains(n, "password") || strings.Contains(n, "token") || n == "_csrf" || n == "secret":
		return MaxSecretLength
	}
	return MaxMarkdownLength
}

// CheckFieldLength refuses a value longer than slack times its field's
// limit, with a ValidationError naming the field and the limit.
func CheckFieldLength(name, value string, slack int) error {
	limit := FieldLimit(name)
	if len(value) <= limit*slack || utf8.RuneCountInString(value) <= limit*slack {
		return nil
	}
	return FieldError(name, fmt.Sprintf("Use at most %s characters.", groupThousands(limit)))
}

// groupThousands writes n with thousands separators (100,000).
func groupThousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
