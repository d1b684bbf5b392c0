package app_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/debrief-sre/debrief/app/apptest"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// decode reads a JSON response body into a T.
func decode[T any](t *testing.T, r *apptest.Response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.Body), &v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
	return v
}

// must returns v, panicking on err (for setup steps in tests).
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
