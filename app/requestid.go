package app

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
)

// newRequestID returns a short random ID, easy to quote in a bug report.
func newRequestID() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}
