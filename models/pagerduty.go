package models

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

func linksJSONMap(m map[string]string) string {
	if m == nil {
		m = map[string]string{}
	}
	b, _ := json.Marshal(m) // map keys are sorted
	return string(b)
}

// PagerDutySource is the external source of incidents made by PagerDuty.
const PagerDutySource = "pagerduty"

// SignPagerDuty computes the X-PagerDuty-Signature value of a body.
func SignPagerDuty(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "v1=" + hex.EncodeToString(mac.Sum(nil))
}

// VerifyPagerDutySignature checks a X-PagerDuty-Signature header: a
// comma-separated list of v1=<hex HMAC-SHA256 of the raw body>, several
// while PagerDuty rotates the secret; one match is enough. The comparison
// takes constant time.
func VerifyPagerDutySignature(secret string, body []byte, header string) bool {
	if secret == "" || header == "" {
		return false
	}
	want := []byte(SignPagerDuty(secret, body))
	for _, sig := range strings.Split(header, ",") {
		if hmac.Equal([]byte(strings.TrimSpace(sig)), want) {
			return true
		}
	}
	return false
}

// ErrMalformedWebhook is a payload that cannot be a PagerDuty v3 event.
var ErrMalformedWebhook = errors.New("malformed webhook payload")

// WebhookResult says what a delivery did.
type WebhookResult struct {
	Status    string `json:"status"` // processed, duplicate, ignored
	EventType string `json:"event_type"`
	Action    string `json:"action,omitempty"` // created, updated, unchanged
	Incident  string `json:"incident,omitempty"`
}

// IngestPagerDuty applies a verified PagerDuty v3 webhook body:
// incident.triggered creates the incident (started and detected at its
// creation), incident.acknowledged sets acknowledged, incident.resolved
// sets resolved and the status; each adds a timeline event. Other event
// types are acknowledged and ignored. An event ID seen before changes
// nothing. A malformed body is ErrMalformedWebhook and stores nothing.
func IngestPagerDuty(ctx context.Context, db *gorm.DB, it *Integration, body []byte) (*WebhookResult, error) {
	pe, err := ParsePagerDutyEvent(body)
	if err != nil {
		return nil, err
	}
	ev, data, occurred, created := pe.event, pe.incident, pe.OccurredAt, pe.CreatedAt
	res := &WebhookResult{EventType: pe.EventType}
	if !pe.Handled {
		res.Status = "ignored"
		return res, nil
	}
	actor := SystemActor("PagerDuty integration " + it.Name)
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var seen int64
		if err := tx.Model(&WebhookEvent{}).Where("integration_id = ? AND event_id = ?", it.ID, ev.ID).Count(&seen).Error; err != nil {
			return err
		}
		if seen > 0 {
			res.Status = "duplicate"
			return nil
		}
		inc, err := GetIncidentByExternal(ctx, tx, PagerDutySource, data.ID)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		var in IncidentInput
		if inc == nil {
			in = newPagerDutyInput(ctx, tx, it, data, created)
		} else {
			in = InputOf(inc)
		}
		at := occurred
		if at.Before(*in.StartedAt) {
			at = *in.StartedAt // clocks of PagerDuty's events may be a hair apart
		}
		var text, kind, milestone string
		agent := "PagerDuty"
		if ev.Agent != nil && ev.Agent.Summary != "" {
			agent = ev.Agent.Summary
		}
		switch ev.EventType {
		case "incident.triggered":
			kind, text = "detection", "Triggered in PagerDuty: "+data.Title+pdContext(data)
		case "incident.acknowledged":
			kind, text = "milestone", "Acknowledged in PagerDuty by "+agent+"."
			if in.AcknowledgedAt == nil {
				in.AcknowledgedAt, milestone = &at, "acknowledged"
			}
		case "incident.resolved":
			kind, text = "milestone", "Resolved in PagerDuty by "+agent+"."
			if in.ResolvedAt == nil {
				in.ResolvedAt, milestone = &at, "resolved"
			}
			if in.Status.Open() {
				in.Status = StatusResolved
			}
		}
		if inc == nil {
			inc, err = createIncidentTx(ctx, tx, actor, in)
			res.Action = "created"
		} else {
			before := inc.Version
			inc, err = updateIncidentTx(ctx, tx, actor, inc.ID, 0, in)
			res.Action = "unchanged"
			if err == nil && inc.Version != before {
				res.Action = "updated"
			}
		}
		if err != nil {
			if ve, ok := AsValidation(err); ok {
				return malformed("the event does not make a valid incident: %v", ve)
			}
			return err
		}
		now := Now(tx)
		tev := TimelineEvent{IncidentID: inc.ID, OccurredAt: occurred, Kind: kind, Text: text, Milestone: milestone,
			Source: "pagerduty", Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&tev).Error; err != nil {
			return err
		}
		if err := tx.Create(&WebhookEvent{IntegrationID: it.ID, EventID: ev.ID, EventType: ev.EventType, IncidentID: &inc.ID, ReceivedAt: now}).Error; err != nil {
			return err
		}
		res.Status, res.Incident = "processed", inc.Key()
		return tx.Model(&Integration{}).Where("id = ?", it.ID).Update("last_event_at", now).Error
	})
	if err != nil {
		if errors.Is(err, ErrMalformedWebhook) {
			return nil, err
		}
		if errors.Is(TranslateError(err), ErrDuplicate) {
			// Two deliveries at once. If the other one was this very event,
			// this is a replay; otherwise (two events creating one incident)
			// fail, so PagerDuty delivers again and finds the incident.
			var seen int64
			if cerr := db.WithContext(ctx).Model(&WebhookEvent{}).Where("integration_id = ? AND event_id = ?", it.ID, ev.ID).Count(&seen).Error; cerr == nil && seen > 0 {
				return &WebhookResult{Status: "duplicate", EventType: ev.EventType}, nil
			}
		}
		return nil, fmt.Errorf("models: ingest PagerDuty event %s: %w", ev.ID, TranslateError(err))
	}
	return res, nil
}

func pdContext(d pdIncident) string {
	var parts []string
	if d.Service != nil && d.Service.Summary != "" {
		parts = append(parts, "service "+d.Service.Summary)
	}
	if d.Urgency != "" {
		parts = append(parts, d.Urgency+" urgency")
	}
	if d.Priority != nil && d.Priority.Summary != "" {
		parts = append(parts, "priority "+d.Priority.Summary)
	}
	if len(parts) == 0 {
		return "."
	}
	return " (" + strings.Join(parts, ", ") + ")."
}

// newPagerDutyInput is a new incident from a PagerDuty incident: it
// started and was detected when PagerDuty opened it (the page is the
// detection); the severity comes from the priority map or the default.
func newPagerDutyInput(ctx context.Context, tx *gorm.DB, it *Integration, d pdIncident, created time.Time) IncidentInput {
	start := created
	in := IncidentInput{
		Title: d.Title, Status: StatusInvestigating, StartedAt: &start, DetectedAt: &start,
		ExternalSource: PagerDutySource, ExternalID: d.ID, SeverityID: it.DefaultSeverityID, Tags: []string{"pagerduty"},
	}
	if d.Priority != nil {
		if name, ok := lookupMap(it.PriorityMap, d.Priority.Summary); ok {
			if s, err := GetSeverityByName(ctx, tx, name); err == nil {
				in.SeverityID = &s.ID
			}
		}
	}
	if ValidURL(d.HTMLURL) {
		title := "PagerDuty incident"
		if d.Number > 0 {
			title = fmt.Sprintf("PagerDuty #%d", d.Number)
		}
		in.Links = []Link{{Kind: "pager", URL: d.HTMLURL, Title: title}}
	}
	if d.Service != nil && d.Service.Summary != "" {
		var c Component
		slug := Slugify(d.Service.Summary)
		if err := tx.WithContext(ctx).Select("id").Where("slug = ? OR lower(name) = ?", slug, strings.ToLower(d.Service.Summary)).Take(&c).Error; err == nil {
			in.ComponentIDs = []int64{c.ID}
		}
	}
	return in
}

// lookupMap finds v in m, exactly or else ignoring case.
func lookupMap(m map[string]string, v string) (string, bool) {
	if x, ok := m[v]; ok {
		return x, true
	}
	for k, x := range m {
		if strings.EqualFold(k, v) {
			return x, true
		}
	}
	return "", false
}
