package models_test

import (
	"errors"
	"fmt"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func TestStateErrorCarriesItsSentence(t *testing.T) {
	err := fmt.Errorf("models: review 7: %w", models.StateErrorf("the review is %s; answers can no longer change", "signed off"))
	if !errors.Is(err, models.ErrInvalidState) {
		t.Fatal("a StateError is not ErrInvalidState")
	}
	msg, ok := models.UserMessage(err)
	if want := "The review is signed off; answers can no longer change."; !ok || msg != want {
		t.Fatalf("UserMessage = %q, %v; want %q", msg, ok, want)
	}
	if want := "models: review 7: not allowed in the current state: the review is signed off; answers can no longer change"; err.Error() != want {
		t.Fatalf("Error = %q, want %q", err.Error(), want)
	}
	if e := models.StateErrorf("API tokens are read-only."); e.Error() != "not allowed in the current state: API tokens are read-only" {
		t.Fatalf("an acronym lost its capitals: %q", e.Error())
	}

	if !errors.Is(fmt.Errorf("models: vote: %w", models.ErrNoVotesLeft), models.ErrNoVotesLeft) || !errors.Is(models.ErrNoVotesLeft, models.ErrInvalidState) {
		t.Fatal("ErrNoVotesLeft is not matched by errors.Is")
	}
	if msg, _ := models.UserMessage(models.ErrNoVotesLeft); msg != "You have no votes left. Take one back to move it." {
		t.Fatalf("no votes left: %q", msg)
	}

	ce := fmt.Errorf("models: update: %w", &models.ConflictError{What: "finding", Current: 1, Submitted: 2})
	if msg, ok := models.UserMessage(ce); !ok || msg != "This finding was changed by someone else." {
		t.Fatalf("conflict: %q, %v", msg, ok)
	}
	if msg, _ := models.UserMessage(&models.ConflictError{What: "answer", Message: "Someone else answered first."}); msg != "Someone else answered first." {
		t.Fatalf("conflict with a message: %q", msg)
	}
	if msg, ok := models.UserMessage(models.FieldError("title", "Enter a title.")); !ok || msg != "Enter a title." {
		t.Fatalf("validation: %q, %v", msg, ok)
	}
	if _, ok := models.UserMessage(fmt.Errorf("models: %w", models.ErrNotFound)); ok {
		t.Fatal("a sentinel claims a message for people")
	}
}

// Every refusal of a rule reaches people as a whole sentence.
func TestStateRefusalsAreSentences(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		owner := mkUser(t, db, models.RoleMember)
		item := must(models.CreateActionItem(ctx, db, actorOf(owner), models.NewActionItem{ActionItemInput: models.ActionItemInput{
			Title: "Add a runbook link", Owner: owner.Email,
		}}))
		_, err := models.ChangeActionStatus(ctx, db, actorOf(owner), item.ID, item.Version, models.ActionOpen, "")
		var se *models.StateError
		if !errors.As(err, &se) || !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("err = %v, want a StateError", err)
		}
		if msg, _ := models.UserMessage(err); msg != "The item is already open." {
			t.Fatalf("message %q", msg)
		}
		_, err = models.UpdateActionItem(ctx, db, actorOf(owner), item.ID, item.Version+5, models.ActionItemInput{Title: "Stale", Owner: owner.Email})
		var ce *models.ConflictError
		if !errors.As(err, &ce) {
			t.Fatalf("err = %v, want a conflict", err)
		}
		if in, ok := ce.Submitted.(models.ActionItemInput); !ok || in.Title != "Stale" {
			t.Fatalf("Submitted = %#v", ce.Submitted)
		}
	})
}
