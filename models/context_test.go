package models_test

import (
	"context"
	"testing"
	"time"
)

// ctx is the context of model tests.
var ctx = context.Background()

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
