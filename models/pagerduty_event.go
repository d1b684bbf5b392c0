package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

type pdEnvelope struct {
	Event *pdEvent `json:"event"`
}

type pdEvent struct {
	ID           string          `json:"id"`
	EventType    string          `json:"event_type"`
	ResourceType string          `json:"resource_type"`
	OccurredAt   string          `json:"occurred_at"`
	Agent        *pdRef          `json:"agent"`
	Data         json.RawMessage `json:"data"`
}

type pdRef struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Summary string `json:"summary"`
}

type pdIncident struct {
	ID        string `json:"id"`
	Type      string `json:"type"`
	HTMLURL   string `json:"html_url"`
	Number    int    `json:"number"`
	Status    string `json:"status"`
	Title     string `json:"title"`
	CreatedAt string `json:"created_at"`
	Urgency   string `json:"urgency"`
	Service   *pdRef `json:"service"`
	Priority  *pdRef `json:"priority"`
}

var pdHandled = map[string]bool{"incident.triggered": true, "incident.acknowledged": true, "incident.resolved": true}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformedWebhook, fmt.Sprintf(format, args...))
}

func parsePDTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	return UTC(t), err == nil
}

// PagerDutyEvent is a PagerDuty v3 webhook body that parsed: the event's
// id, type and time, and, when Handled, the incident it is about.
type PagerDutyEvent struct {
	ID         string
	EventType  string
	OccurredAt time.Time
	// Handled is true for the incident events Debrief applies
	// (triggered, acknowledged, resolved); others are acknowledged and
	// ignored, and carry no incident.
	Handled bool
	// CreatedAt is when PagerDuty opened the incident (OccurredAt when
	// the payload has no valid creation time).
	CreatedAt time.Time
	event     pdEvent
	incident  pdIncident
}

// IncidentID is the PagerDuty incident's id.
func (e PagerDutyEvent) IncidentID() string { return e.incident.ID }

// Title is the PagerDuty incident's title.
func (e PagerDutyEvent) Title() string { return e.incident.Title }

// ParsePagerDutyEvent reads a PagerDuty v3 webhook body without touching
// the database. A body that cannot be such an event is
// ErrMalformedWebhook with a message saying why.
func ParsePagerDutyEvent(body []byte) (PagerDutyEvent, error) {
	var env pdEnvelope
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&env); err != nil {
		return PagerDutyEvent{}, malformed("not a JSON object: %v", err)
	}
	ev := env.Event
	if ev == nil {
		return PagerDutyEvent{}, malformed(`no "event" object`)
	}
	if ev.ID == "" || ev.EventType == "" {
		return PagerDutyEvent{}, malformed("event.id and event.event_type are required")
	}
	occurred, ok := parsePDTime(ev.OccurredAt)
	if !ok {
		return PagerDutyEvent{}, malformed("event.occurred_at %q is not an RFC 3339 time", ev.OccurredAt)
	}
	pe := PagerDutyEvent{ID: ev.ID, EventType: ev.EventType, OccurredAt: occurred, CreatedAt: occurred, event: *ev}
	if !pdHandled[ev.EventType] {
		return pe, nil
	}
	var data pdIncident
	if err := json.Unmarshal(ev.Data, &data); err != nil {
		return PagerDutyEvent{}, malformed("event.data is not an incident: %v", err)
	}
	if data.ID == "" || strings.TrimSpace(data.Title) == "" {
		return PagerDutyEvent{}, malformed("event.data needs the incident's id and title")
	}
	if created, ok := parsePDTime(data.CreatedAt); ok {
		pe.CreatedAt = created
	}
	pe.Handled, pe.incident = true, data
	return pe, nil
}
