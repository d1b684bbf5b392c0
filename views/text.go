package views

import (
	"strings"

	"github.com/a-h/templ"
)

// Small text helpers shared by many pages.

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
