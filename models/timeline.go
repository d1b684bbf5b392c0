package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// TimelineKinds lists the kinds of timeline events.
// Each call returns a fresh copy.
func TimelineKinds() []string { return slices.Clone(timelineKinds) }

var timelineKinds = []string{"detection", "observation", "action", "decision", "communication", "milestone"}

// Milestones are the incident timestamps a milestone event can set.
// Each call returns a fresh copy.
func Milestones() []string { return slices.Clone(milestones) }

var milestones = []string{"started", "detected", "acknowledged", "mitigated", "resolved"}

// TimelineEvent is one timestamped event of an incident.
type TimelineEvent struct {
	ID         int64
	IncidentID int64
	OccurredAt time.Time
	Kind       string
	Text       string
	// Milestone names the incident timestamp this event set, or "".
	Milestone string
	AuthorID  *int64
	Author    *User `gorm:"foreignKey:AuthorID"`
	// Source is "" for typed events, or paste, pagerduty, import.
	Source    string
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TimelineInput is a new or edited event.
type TimelineInput struct {
	OccurredAt *time.Time
	Kind       string
	Text       string
	Milestone  string
	Source     string
}

// MaxTimelineText bounds an event's text.
const MaxTimelineText = 10_000

// Validate normalises the input and checks it; field names are
// occurred_at, kind, text and milestone.
func (in *TimelineInput) Validate() *ValidationError {
	v := &ValidationError{}
	in.Text = strings.TrimSpace(CleanText(in.Text))
	in.Kind = strings.TrimSpace(strings.ToLower(in.Kind))
	in.Milestone = strings.TrimSpace(strings.ToLower(in.Milestone))
	if in.OccurredAt == nil {
		v.Add("occurred_at", "Enter when it happened.")
	} else {
		t := UTC(*in.OccurredAt)
		in.OccurredAt = &t
	}
	if in.Kind == "" {
		in.Kind = "observation"
	}
	if !slices.Contains(timelineKinds, in.Kind) {
		v.Add("kind", "Choose one of "+strings.Join(timelineKinds, ", ")+".")
	}
	switch {
	case in.Text == "":
		v.Add("text", "Say what happened.")
	case len(in.Text) > MaxTimelineText:
		v.Add("text", fmt.Sprintf("Use at most %d characters; split long notes into several events.", MaxTimelineText))
	}
	if in.Milestone != "" {
		if !slices.Contains(milestones, in.Milestone) {
			v.Add("milestone", "Choose which incident time this milestone sets.")
		} else if in.Kind != "milestone" {
			v.Add("milestone", "Only milestone events set an incident time.")
		}
	}
	return v
}

// ListTimeline returns an incident's events in time order.
func ListTimeline(ctx context.Context, db *gorm.DB, incidentID int64) ([]TimelineEvent, error) {
	var out []TimelineEvent
	err := db.WithContext(ctx).Preload("Author").Where("incident_id = ?", incidentID).Order("occurred_at, id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: list timeline of incident %d: %w", incidentID, TranslateError(err))
	}
	return out, nil
}

// GetTimelineEvent loads one event of an incident.
func GetTimelineEvent(ctx context.Context, db *gorm.DB, incidentID, id int64) (*TimelineEvent, error) {
	var e TimelineEvent
	err := db.WithContext(ctx).Preload("Author").Where("id = ? AND incident_id = ?", id, incidentID).Take(&e).Error
	if err != nil {
		return nil, fmt.Errorf("models: get timeline event %d: %w", id, TranslateError(err))
	}
	return &e, nil
}

// AddTimelineEvents stores events in one transaction (all or none);
// milestone events set the matching incident timestamp. A validation error
// of the i-th event has its fields prefixed "events.i." when there are
// several events.
func AddTimelineEvents(ctx context.Context, db *gorm.DB, actor Actor, incidentID int64, ins []TimelineInput) ([]TimelineEvent, error) {
	var out []TimelineEvent
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		out, err = addTimelineEventsTx(ctx, tx, actor, incidentID, ins)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("models: add timeline events: %w", TranslateError(err))
	}
	return out, nil
}

func addTimelineEventsTx(ctx context.Context, tx *gorm.DB, actor Actor, incidentID int64, ins []TimelineInput) ([]TimelineEvent, error) {
	if len(ins) == 0 {
		return nil, FieldError("text", "There is nothing to add.")
	}
	all := &ValidationError{}
	for i := range ins {
		v := ins[i].Validate()
		for k, msg := range v.Fields {
			if len(ins) > 1 {
				k = fmt.Sprintf("events.%d.%s", i, k)
			}
			all.Add(k, msg)
		}
	}
	if err := all.Err(); err != nil {
		return nil, err
	}
	now := Now(tx)
	events := make([]TimelineEvent, 0, len(ins))
	for _, in := range ins {
		e := TimelineEvent{
			IncidentID: incidentID, OccurredAt: *in.OccurredAt, Kind: in.Kind, Text: in.Text,
			Milestone: in.Milestone, Source: in.Source, Version: 1, CreatedAt: now, UpdatedAt: now,
		}
		if actor.UserID != 0 {
			id := actor.UserID
			e.AuthorID = &id
		}
		events = append(events, e)
	}
	if err := tx.WithContext(ctx).CreateInBatches(&events, 200).Error; err != nil {
		return nil, err
	}
	for i, e := range events {
		if e.Milestone == "" {
			continue
		}
		if err := applyMilestone(ctx, tx, actor, incidentID, e.Milestone, e.OccurredAt); err != nil {
			if ve, ok := AsValidation(err); ok && len(events) > 1 {
				return nil, FieldError(fmt.Sprintf("events.%d.occurred_at", i), ve.Fields["occurred_at"])
			}
			return nil, err
		}
	}
	summary := fmt.Sprintf("added %d timeline events", len(events))
	if len(events) == 1 {
		summary = "added a " + events[0].Kind + " event to the timeline"
	}
	if err := Audit(ctx, tx, actor, AuditCreate, "incident", incidentID, summary, nil); err != nil {
		return nil, err
	}
	return events, nil
}

// applyMilestone sets the incident timestamp named by milestone to at,
// reporting a rule it would break as an error on occurred_at.
func applyMilestone(ctx context.Context, tx *gorm.DB, actor Actor, incidentID int64, milestone string, at time.Time) error {
	inc, err := GetIncident(ctx, tx, incidentID)
	if err != nil {
		return err
	}
	in := InputOf(inc)
	t := at
	switch milestone {
	case "started":
		in.StartedAt = &t
	case "detected":
		in.DetectedAt = &t
	case "acknowledged":
		in.AcknowledgedAt = &t
	case "mitigated":
		in.MitigatedAt = &t
	case "resolved":
		in.ResolvedAt = &t
	}
	_, err = updateIncidentTx(ctx, tx, actor, incidentID, 0, in)
	if ve, ok := AsValidation(err); ok {
		msgs := make([]string, 0, len(ve.Fields))
		for _, m := range ve.Fields {
			msgs = append(msgs, m)
		}
		slices.Sort(msgs)
		return FieldError("occurred_at", "This milestone would break the incident's times: "+strings.Join(msgs, " "))
	}
	return err
}

// UpdateTimelineEvent changes an event, refusing a stale version. A
// milestone event sets its incident timestamp again.
func UpdateTimelineEvent(ctx context.Context, db *gorm.DB, actor Actor, incidentID, id int64, version int, in TimelineInput) (*TimelineEvent, error) {
	if err := in.Validate().Err(); err != nil {
		return nil, err
	}
	var out *TimelineEvent
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetTimelineEvent(ctx, tx, incidentID, id)
		if err != nil {
			return err
		}
		after := *before
		after.OccurredAt, after.Kind, after.Text, after.Milestone = *in.OccurredAt, in.Kind, in.Text, in.Milestone
		changes := Diff(before, &after, "OccurredAt", "Kind", "Text", "Milestone")
		if len(changes) == 0 {
			out = before
			return nil
		}
		after.Version, after.UpdatedAt = before.Version+1, Now(tx)
		res := tx.Model(&TimelineEvent{}).Where("id = ? AND version = ?", id, version).Updates(map[string]any{
			"occurred_at": after.OccurredAt, "kind": after.Kind, "text": after.Text, "milestone": after.Milestone,
			"version": after.Version, "updated_at": after.UpdatedAt,
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "timeline event", Current: before, Submitted: in}
		}
		if after.Milestone != "" {
			if err := applyMilestone(ctx, tx, actor, incidentID, after.Milestone, after.OccurredAt); err != nil {
				return err
			}
		}
		out = &after
		return Audit(ctx, tx, actor, AuditUpdate, "incident", incidentID, "edited a timeline event", changes)
	})
	if err != nil {
		return nil, fmt.Errorf("models: update timeline event %d: %w", id, TranslateError(err))
	}
	return out, nil
}

// DeleteTimelineEvent removes an event. The incident timestamp a
// milestone set stays: it is part of the record, edited there.
func DeleteTimelineEvent(ctx context.Context, db *gorm.DB, actor Actor, incidentID, id int64) error {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		e, err := GetTimelineEvent(ctx, tx, incidentID, id)
		if err != nil {
			return err
		}
		if err := tx.Where("id = ?", id).Delete(&TimelineEvent{}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditDelete, "incident", incidentID, "deleted a timeline event",
			map[string]Change{"event": {From: e.OccurredAt.Format(time.RFC3339) + " " + e.Kind + ": " + truncate(e.Text, 200)}})
	})
	if err != nil {
		return fmt.Errorf("models: delete timeline event %d: %w", id, TranslateError(err))
	}
	return nil
}
