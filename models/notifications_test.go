package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

var sys = models.SystemActor("test")

func mkUserEmail(t *testing.T, db *gorm.DB, email string) *models.User {
	t.Helper()
	u, err := models.CreateUser(context.Background(), db, sys, models.NewUser{Email: email, Name: email, Role: models.RoleMember}, false)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestDeliveryIdempotencyAndLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		u := mkUserEmail(t, db, "owner@example.com")
		in := models.NewDelivery{Key: "reminder:item:1:due", Kind: models.DeliveryKindReminder, Channel: models.ChannelEmail,
			Recipient: u.Email, UserID: u.ID, Subject: "Due today"}
		d, created, err := models.CreateDelivery(ctx, db, in)
		if err != nil || !created || d.Status != models.DeliveryPending {
			t.Fatalf("create: %v %v %+v", err, created, d)
		}
		// The same key again, inside a transaction too: no second row.
		err = db.Transaction(func(tx *gorm.DB) error {
			d2, created, err := models.CreateDelivery(ctx, tx, in)
			if err != nil {
				return err
			}
			if created || d2.ID != d.ID {
				t.Errorf("duplicate: created=%v id=%d want %d", created, d2.ID, d.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		db.Model(&models.Delivery{}).Count(&n)
		if n != 1 {
			t.Fatalf("%d rows", n)
		}

		// Claim → error → claim → final error → failed; retry → pending.
		c, ok, err := models.ClaimDelivery(ctx, db, d.ID)
		if err != nil || !ok || c.Status != models.DeliverySending || c.Attempts != 1 {
			t.Fatalf("claim: %v %v %+v", err, ok, c)
		}
		if _, ok, _ := models.ClaimDelivery(ctx, db, d.ID); ok {
			t.Fatal("claimed twice")
		}
		if err := models.MarkDeliveryError(ctx, db, d.ID, "421 try later", false); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := models.ClaimDelivery(ctx, db, d.ID); !ok {
			t.Fatal("second claim refused")
		}
		if err := models.MarkDeliveryError(ctx, db, d.ID, "421 still", true); err != nil {
			t.Fatal(err)
		}
		got, _ := models.GetDelivery(ctx, db, d.ID)
		if got.Status != models.DeliveryFailed || got.Attempts != 2 || got.LastError != "421 still" {
			t.Fatalf("after final error: %+v", got)
		}
		if err := models.MarkDeliverySent(ctx, db, d.ID); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("sent from failed: %v", err)
		}
		list, err := models.ListDeliveries(ctx, db, models.DeliveryFilter{Status: models.DeliveryFailed, Query: "OWNER@"})
		if err != nil || len(list) != 1 {
			t.Fatalf("list failed: %v %d", err, len(list))
		}
		r, err := models.RetryDelivery(ctx, db, sys, d.ID)
		if err != nil || r.Status != models.DeliveryPending {
			t.Fatalf("retry: %v %+v", err, r)
		}
		if _, err := models.RetryDelivery(ctx, db, sys, d.ID); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("retry of pending: %v", err)
		}
		counts, _ := models.DeliveryCounts(ctx, db)
		if counts[models.DeliveryPending] != 1 {
			t.Fatalf("counts %v", counts)
		}

		// Bad input is refused with a message per field.
		_, _, err = models.CreateDelivery(ctx, db, models.NewDelivery{Channel: "pigeon"})
		ve, ok := models.AsValidation(err)
		if !ok || ve.Fields["key"] == "" || ve.Fields["channel"] == "" || ve.Fields["subject"] == "" {
			t.Fatalf("validation: %v", err)
		}
	})
}

func TestCalendarTokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		u := mkUserEmail(t, db, "cal@example.com")
		if _, err := models.ActiveCalendarToken(ctx, db, u.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("no token yet: %v", err)
		}
		_, first, err := models.NewCalendarToken(ctx, db, sys, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := models.UserForCalendarToken(ctx, db, first); err != nil || got.ID != u.ID {
			t.Fatalf("lookup: %v", err)
		}
		_, second, err := models.NewCalendarToken(ctx, db, sys, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := models.UserForCalendarToken(ctx, db, first); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("rotated token still works: %v", err)
		}
		if _, err := models.UserForCalendarToken(ctx, db, second); err != nil {
			t.Fatal(err)
		}
		if err := models.RevokeCalendarToken(ctx, db, sys, u.ID); err != nil {
			t.Fatal(err)
		}
		for _, tok := range []string{second, "cal_nope", "", "dbf_x"} {
			if _, err := models.UserForCalendarToken(ctx, db, tok); !errors.Is(err, models.ErrNotFound) {
				t.Fatalf("%q: %v", tok, err)
			}
		}
		if err := models.RevokeCalendarToken(ctx, db, sys, u.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("revoke twice: %v", err)
		}
	})
}

func TestMuteAndTeamTargets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		u := mkUserEmail(t, db, "mute@example.com")
		if err := models.SetMuteReminders(ctx, db, sys, u.ID, true); err != nil {
			t.Fatal(err)
		}
		got, _ := models.GetUser(ctx, db, u.ID)
		if !got.MuteReminders {
			t.Fatal("not muted")
		}
		team, err := models.CreateTeam(ctx, db, sys, models.NewTeam{Name: "SRE", Slug: "sre"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = models.SetTeamTargets(ctx, db, sys, team.ID, models.TeamTargets{SlackWebhookURL: "ftp://x", WebhookURL: "nope"})
		ve, ok := models.AsValidation(err)
		if !ok || ve.Fields["slack_webhook_url"] == "" || ve.Fields["webhook_url"] == "" {
			t.Fatalf("validation: %v", err)
		}
		team, err = models.SetTeamTargets(ctx, db, sys, team.ID, models.TeamTargets{SlackWebhookURL: "https://hooks.example.com/T1", WebhookURL: "https://example.com/hook"})
		if err != nil || team.SlackWebhookURL == nil || team.WebhookSecret == nil {
			t.Fatalf("set: %v %+v", err, team)
		}
		secret := *team.WebhookSecret
		team, _ = models.SetTeamTargets(ctx, db, sys, team.ID, models.TeamTargets{SlackWebhookURL: "https://hooks.example.com/T1", WebhookURL: "https://example.com/hook2"})
		if *team.WebhookSecret != secret {
			t.Fatal("secret changed with the URL")
		}
		team, _ = models.RotateTeamWebhookSecret(ctx, db, sys, team.ID)
		if *team.WebhookSecret == secret {
			t.Fatal("secret not rotated")
		}
		team, _ = models.SetTeamTargets(ctx, db, sys, team.ID, models.TeamTargets{})
		if team.SlackWebhookURL != nil || team.WebhookURL != nil || team.WebhookSecret != nil {
			t.Fatalf("not cleared: %+v", team)
		}
		entries, _ := models.ListAudit(ctx, db, models.AuditFilter{ObjectType: "team"})
		for _, e := range entries {
			if e.Changes != "" && (contains(e.Changes, "hooks.example.com") || contains(e.Changes, "whsec_")) {
				t.Fatalf("audit leaks a secret: %s", e.Changes)
			}
		}
	})
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
