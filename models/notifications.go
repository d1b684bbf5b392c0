package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"

	"gorm.io/gorm"
)

// SetMuteReminders turns reminder notifications for a user off (mute) or
// back on. Digests and other notifications are not affected.
func SetMuteReminders(ctx context.Context, db *gorm.DB, actor Actor, userID int64, mute bool) error {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := GetUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.MuteReminders == mute {
			return nil
		}
		if err := tx.Model(&User{}).Where("id = ?", userID).
			Updates(map[string]any{"mute_reminders": mute, "updated_at": Now(tx)}).Error; err != nil {
			return err
		}
		summary := "unmuted reminders"
		if mute {
			summary = "muted reminders"
		}
		return Audit(ctx, tx, actor, AuditUpdate, "user", userID, summary,
			map[string]Change{"mute_reminders": {From: u.MuteReminders, To: mute}})
	})
	if err != nil {
		return fmt.Errorf("models: mute reminders for user %d: %w", userID, TranslateError(err))
	}
	return nil
}

// TeamTargets are where a team's notifications go besides mail. An empty
// string clears a target.
type TeamTargets struct {
	SlackWebhookURL string
	WebhookURL      string
	// AllowPrivate accepts receivers on private, loopback and link-local
	// addresses (DEBRIEF_WEBHOOK_ALLOW_PRIVATE); see PrivateAddress.
	AllowPrivate bool
}

// checkWebhookURL validates an outbound URL: absolute http(s) with a host
// that is not on a private network (unless allowPrivate).
func checkWebhookURL(ctx context.Context, raw string, allowPrivate bool) (string, string) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return raw, "Enter an absolute https:// URL, like https://hooks.slack.com/services/…"
	}
	if len(raw) > 2000 {
		return raw, "Use at most 2000 characters."
	}
	if !allowPrivate {
		if msg := checkWebhookHost(ctx, u); msg != "" {
			return raw, msg
		}
	}
	return raw, ""
}

// SetTeamTargets stores a team's Slack-compatible incoming webhook URL and
// its generic outbound webhook URL. Setting a webhook URL where there was
// none makes a new signing secret (see NewWebhookSecret); clearing it
// removes the secret. The URLs are secrets, so the audit trail records only
// whether they were set.
func SetTeamTargets(ctx context.Context, db *gorm.DB, actor Actor, teamID int64, in TeamTargets) (*Team, error) {
	v := &ValidationError{}
	slack, msg := checkWebhookURL(ctx, in.SlackWebhookURL, in.AllowPrivate)
	if msg != "" {
		v.Add("slack_webhook_url", msg)
	}
	hook, msg := checkWebhookURL(ctx, in.WebhookURL, in.AllowPrivate)
	if msg != "" {
		v.Add("webhook_url", msg)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out *Team
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := GetTeam(ctx, tx, teamID)
		if err != nil {
			return err
		}
		set := map[string]any{"slack_webhook_url": nilIfEmpty(slack), "webhook_url": nilIfEmpty(hook), "updated_at": Now(tx)}
		switch {
		case hook == "":
			set["webhook_secret"] = nil
		case t.WebhookSecret == nil || *t.WebhookSecret == "":
			set["webhook_secret"] = NewWebhookSecret()
		}
		if err := tx.Model(&Team{}).Where("id = ?", teamID).Updates(set).Error; err != nil {
			return err
		}
		changes := map[string]Change{}
		if strOf(t.SlackWebhookURL) != slack {
			changes["slack_webhook_url"] = Change{From: setOrNot(t.SlackWebhookURL), To: setOrNot(nilIfEmpty(slack))}
		}
		if strOf(t.WebhookURL) != hook {
			changes["webhook_url"] = Change{From: setOrNot(t.WebhookURL), To: setOrNot(nilIfEmpty(hook))}
		}
		if out, err = GetTeam(ctx, tx, teamID); err != nil {
			return err
		}
		if len(changes) == 0 {
			return nil
		}
		return Audit(ctx, tx, actor, AuditUpdate, "team", teamID, "changed notification targets of team "+t.Slug, changes)
	})
	if err != nil {
		return nil, fmt.Errorf("models: set notification targets of team %d: %w", teamID, TranslateError(err))
	}
	return out, nil
}

// RotateTeamWebhookSecret replaces a team's webhook signing secret.
func RotateTeamWebhookSecret(ctx context.Context, db *gorm.DB, actor Actor, teamID int64) (*Team, error) {
	var out *Team
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := GetTeam(ctx, tx, teamID)
		if err != nil {
			return err
		}
		if t.WebhookURL == nil {
			return FieldError("webhook_url", "Set a webhook URL first.")
		}
		if err := tx.Model(&Team{}).Where("id = ?", teamID).
			Updates(map[string]any{"webhook_secret": NewWebhookSecret(), "updated_at": Now(tx)}).Error; err != nil {
			return err
		}
		if out, err = GetTeam(ctx, tx, teamID); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditUpdate, "team", teamID, "rotated webhook secret of team "+t.Slug, nil)
	})
	if err != nil {
		return nil, fmt.Errorf("models: rotate webhook secret of team %d: %w", teamID, TranslateError(err))
	}
	return out, nil
}

// NewWebhookSecret makes a random signing secret for outbound webhooks.
func NewWebhookSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return "whsec_" + hex.EncodeToString(b)
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func strOf(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func setOrNot(p *string) string {
	if p == nil || *p == "" {
		return "not set"
	}
	return "set"
}
