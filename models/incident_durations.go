package models

import (
	"slices"
	"time"
)

// IncidentDurations are the derived durations of an incident, each nil
// when a timestamp it needs is missing (never zero by default).
type IncidentDurations struct {
	Detect, Acknowledge, Mitigate, Resolve *time.Duration
}

// DurationDefinitions explain each duration, in the order Durations lists
// them.
// Each call returns a fresh copy.
func DurationDefinitions() []struct{ Name, Field, Definition string } {
	return slices.Clone(durationDefinitions)
}

var durationDefinitions = []struct{ Name, Field, Definition string }{
	{"Time to detect", "time_to_detect", "detected − started"},
	{"Time to acknowledge", "time_to_acknowledge", "acknowledged − started"},
	{"Time to mitigate", "time_to_mitigate", "mitigated − started"},
	{"Time to resolve", "time_to_resolve", "resolved − started"},
}

// Durations computes the incident's durations from started.
func (i *Incident) Durations() IncidentDurations {
	since := func(t *time.Time) *time.Duration {
		if t == nil || i.StartedAt.IsZero() {
			return nil
		}
		d := t.Sub(i.StartedAt)
		return &d
	}
	return IncidentDurations{
		Detect: since(i.DetectedAt), Acknowledge: since(i.AcknowledgedAt),
		Mitigate: since(i.MitigatedAt), Resolve: since(i.ResolvedAt),
	}
}

// List returns the durations in the order of DurationDefinitions().
func (d IncidentDurations) List() []*time.Duration {
	return []*time.Duration{d.Detect, d.Acknowledge, d.Mitigate, d.Resolve}
}

// Seconds returns a duration in whole seconds, or nil when undefined.
func Seconds(d *time.Duration) *int64 {
	if d == nil {
		return nil
	}
	s := int64(d.Round(time.Second) / time.Second)
	return &s
}
