package models

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Integration is an inbound connection (a PagerDuty v3 webhook
// subscription) that creates and updates incidents.
type Integration struct {
	ID   int64
	Kind string
	Name string
	// Token is the random path segment of the webhook URL.
	Token string
	// Secret is the signing secret PagerDuty shows for the subscription.
	Secret            string
	PriorityMap       map[string]string `gorm:"serializer:json"`
	DefaultSeverityID *int64
	DefaultSeverity   *Severity `gorm:"foreignKey:DefaultSeverityID"`
	Enabled           bool
	LastEventAt       *time.Time
	Version           int
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// WebhookEvent is one processed webhook delivery.
type WebhookEvent struct {
	IntegrationID int64  `gorm:"primaryKey;autoIncrement:false"`
	EventID       string `gorm:"primaryKey"`
	EventType     string
	IncidentID    *int64
	ReceivedAt    time.Time
}

// SecretHint shows the end of the secret, or that none is set.
func (i *Integration) SecretHint() string {
	if i.Secret == "" {
		return ""
	}
	if len(i.Secret) <= 8 {
		return "••••"
	}
	return "••••" + i.Secret[len(i.Secret)-4:]
}

// IntegrationInput is what admins edit.
type IntegrationInput struct {
	Name string
	// Secret replaces the signing secret when not empty.
	Secret            string
	ClearSecret       bool
	PriorityMap       map[string]string
	DefaultSeverityID *int64
	Enabled           bool
}

func newToken() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

func (in *IntegrationInput) validate(ctx context.Context, db *gorm.DB) error {
	v := &ValidationError{}
	in.Name = CleanLine(in.Name)
	in.Secret = strings.TrimSpace(in.Secret)
	if in.Name == "" || len(in.Name) > 100 {
		v.Add("name", "Name the integration, like “PagerDuty production”.")
	}
	if len(in.Secret) > 500 {
		v.Add("secret", "That is longer than any signing secret PagerDuty makes.")
	}
	if in.DefaultSeverityID != nil {
		if _, err := GetSeverity(ctx, db, *in.DefaultSeverityID); err != nil {
			v.Add("default_severity", "Choose a severity from the list.")
		}
	}
	var unknown []string
	for prio, sev := range in.PriorityMap {
		if _, err := GetSeverityByName(ctx, db, sev); err != nil {
			unknown = append(unknown, prio+"="+sev)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		v.Add("priority_map", "Unknown severities in "+strings.Join(unknown, ", ")+".")
	}
	return v.Err()
}

// CreateIntegration adds a PagerDuty integration with a fresh webhook URL.
func CreateIntegration(ctx context.Context, db *gorm.DB, actor Actor, in IntegrationInput) (*Integration, error) {
	if err := in.validate(ctx, db); err != nil {
		return nil, err
	}
	now := Now(db)
	if in.PriorityMap == nil {
		in.PriorityMap = map[string]string{}
	}
	it := &Integration{Kind: "pagerduty", Name: in.Name, Token: newToken(), Secret: in.Secret, PriorityMap: in.PriorityMap,
		DefaultSeverityID: in.DefaultSeverityID, Enabled: true, Version: 1, CreatedAt: now, UpdatedAt: now}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Omit("DefaultSeverity").Create(it).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditCreate, "integration", it.ID, "created PagerDuty integration "+it.Name, nil)
	})
	if err != nil {
		return nil, fmt.Errorf("models: create integration: %w", TranslateError(err))
	}
	return it, nil
}

// ListIntegrations returns every integration by name.
func ListIntegrations(ctx context.Context, db *gorm.DB) ([]Integration, error) {
	var out []Integration
	if err := db.WithContext(ctx).Preload("DefaultSeverity").Order("lower(name), id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: list integrations: %w", TranslateError(err))
	}
	return out, nil
}

// GetIntegration loads an integration by ID.
func GetIntegration(ctx context.Context, db *gorm.DB, id int64) (*Integration, error) {
	var it Integration
	if err := db.WithContext(ctx).Preload("DefaultSeverity").Where("id = ?", id).Take(&it).Error; err != nil {
		return nil, fmt.Errorf("models: get integration %d: %w", id, TranslateError(err))
	}
	return &it, nil
}

// GetIntegrationByToken loads the integration a webhook URL names.
func GetIntegrationByToken(ctx context.Context, db *gorm.DB, token string) (*Integration, error) {
	var it Integration
	if err := db.WithContext(ctx).Preload("DefaultSeverity").Where("token = ?", token).Take(&it).Error; err != nil {
		return nil, fmt.Errorf("models: get integration: %w", TranslateError(err))
	}
	return &it, nil
}

// UpdateIntegration changes an integration, refusing a stale version.
func UpdateIntegration(ctx context.Context, db *gorm.DB, actor Actor, id int64, version int, in IntegrationInput) (*Integration, error) {
	if err := in.validate(ctx, db); err != nil {
		return nil, err
	}
	var out *Integration
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetIntegration(ctx, tx, id)
		if err != nil {
			return err
		}
		after := *before
		after.Name, after.PriorityMap, after.DefaultSeverityID, after.Enabled = in.Name, in.PriorityMap, in.DefaultSeverityID, in.Enabled
		if after.PriorityMap == nil {
			after.PriorityMap = map[string]string{}
		}
		secretChanged := false
		switch {
		case in.ClearSecret:
			secretChanged = after.Secret != ""
			after.Secret = ""
		case in.Secret != "":
			secretChanged = in.Secret != after.Secret
			after.Secret = in.Secret
		}
		after.Version, after.UpdatedAt = before.Version+1, Now(tx)
		pm := linksJSONMap(after.PriorityMap)
		res := tx.Model(&Integration{}).Where("id = ? AND version = ?", id, version).Updates(map[string]any{
			"name": after.Name, "secret": after.Secret, "priority_map": pm, "default_severity_id": after.DefaultSeverityID,
			"enabled": after.Enabled, "version": after.Version, "updated_at": after.UpdatedAt,
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "integration", Current: before}
		}
		changes := Diff(before, &after, "Name", "DefaultSeverityID", "Enabled")
		if secretChanged {
			changes["secret"] = Change{From: "•••", To: "•••"}
		}
		if linksJSONMap(before.PriorityMap) != pm {
			changes["priority_map"] = Change{From: before.PriorityMap, To: after.PriorityMap}
		}
		out = &after
		return Audit(ctx, tx, actor, AuditUpdate, "integration", id, "updated PagerDuty integration "+after.Name, changes)
	})
	if err != nil {
		return nil, fmt.Errorf("models: update integration %d: %w", id, TranslateError(err))
	}
	return out, nil
}

// DeleteIntegration removes an integration; its webhook URL stops working.
func DeleteIntegration(ctx context.Context, db *gorm.DB, actor Actor, id int64) error {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		it, err := GetIntegration(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := tx.Where("integration_id = ?", id).Delete(&WebhookEvent{}).Error; err != nil {
			return err
		}
		if err := tx.Where("id = ?", id).Delete(&Integration{}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditDelete, "integration", id, "deleted PagerDuty integration "+it.Name, nil)
	})
	if err != nil {
		return fmt.Errorf("models: delete integration %d: %w", id, TranslateError(err))
	}
	return nil
}

// RecentWebhookEvents lists an integration's latest deliveries.
func RecentWebhookEvents(ctx context.Context, db *gorm.DB, integrationID int64, limit int) ([]WebhookEvent, error) {
	var out []WebhookEvent
	err := db.WithContext(ctx).Where("integration_id = ?", integrationID).Order("received_at DESC").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: webhook events: %w", TranslateError(err))
	}
	return out, nil
}
