package views

import (
	"strings"

	"github.com/a-h/templ"
)

// Small text helpers shared by many pages.

// Plural is a count with its noun, "1 row" / "1,204 rows": the one helper
// for every count shown to people (pages, fragments, messages, e-mails).
// one and many are the whole phrase that follows the number, so a verb can
// agree too: Plural(n, "line was", "lines were").
func Plural[T ~int | ~int64 | ~int32](n T, one, many string) string {
	return FormatCount(int64(n)) + " " + PluralNoun(n, one, many)
}

// PluralNoun is the noun alone, for a count shown in its own element.
func PluralNoun[T ~int | ~int64 | ~int32](n T, one, many string) string {
	if n == 1 || n == -1 {
		return one
	}
	return many
}

// Title capitalises the first letter.
func Title(s string) string {
	if s == "" {
		return s
	}
	s = strings.ReplaceAll(s, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func templURL(u string) templ.SafeURL {
	if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
		return templ.SafeURL(u)
	}
	return templ.SafeURL("#")
}
