package models_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/debrief-sre/debrief/models"
	"gorm.io/gorm"
)

var seq atomic.Int64

func mkUser(t *testing.T, db *gorm.DB, role models.Role) *models.User {
	t.Helper()
	n := seq.Add(1)
	u, err := models.CreateUser(ctx, db, models.SystemActor("test"), models.NewUser{
		Email: fmt.Sprintf("user%d@example.com", n), Name: fmt.Sprintf("User %d", n), Role: role,
	}, false)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func mkTeam(t *testing.T, db *gorm.DB, slug string) *models.Team {
	t.Helper()
	tm, err := models.CreateTeam(ctx, db, models.SystemActor("test"), models.NewTeam{Name: slug, Slug: slug})
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func mkComponent(t *testing.T, db *gorm.DB, name string, tier int) *models.Component {
	t.Helper()
	c, err := models.CreateComponent(ctx, db, models.SystemActor("test"), models.ComponentInput{Name: name, Tier: tier})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func actorOf(u *models.User) models.Actor { return models.ActorOf(u, "127.0.0.1") }

// must returns v, panicking (and so failing the test) on an error.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	ve, ok := models.AsValidation(err)
	if !ok {
		t.Fatalf("want a validation error on %s, got %v", field, err)
	}
	if _, ok := ve.Fields[field]; !ok {
		t.Fatalf("want a message on %s, got %v", field, ve.Fields)
	}
}

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
