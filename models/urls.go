package models

import (
	"net/url"
	"strings"
)

func validHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// ValidURL reports whether s is an absolute http or https URL.
func ValidURL(s string) bool {
	l := strings.ToLower(s)
	return (strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")) && len(s) > len("https://") && !strings.ContainsAny(s, " \t\n")
}
