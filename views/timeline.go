package views

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// TimelineModel is the timeline of an incident as one viewer sees it.
type TimelineModel struct {
	Incident *IncidentView
	Events   []TimelineEventView
	Loc      *time.Location
	CanEdit  bool
	// Kinds are the event kinds; Milestones the incident times a
	// milestone event can set.
	Kinds      []string
	Milestones []string
	// Form is the add-event form.
	Form Form
	// EditID is the event being edited inline, with its form.
	EditID   int64
	EditForm Form
	Paste    PasteModel
	// OOB also renders the durations and timestamps for an out-of-band
	// swap (a milestone may have changed them).
	OOB bool
}

// TimelineEventView is one event of an incident's timeline.
type TimelineEventView struct {
	ID         int64
	OccurredAt time.Time
	Kind       string
	Text       string // Markdown
	// Milestone names the incident time the event set, or "".
	Milestone string
	// Author is who wrote it ("" when unknown); Source where it came from:
	// "" when typed, or paste, pagerduty, import.
	Author string
	Source string
}

// PasteModel is the paste-a-chat-log form and its preview.
type PasteModel struct {
	Form      Form
	Rows      []PasteRow
	Skipped   []PasteSkip
	Previewed bool
	Open      bool
}

// PasteRow is one parsed event in the preview, editable before saving.
type PasteRow struct {
	Index   int
	At      string // datetime-local value in the viewer's zone
	Kind    string
	Text    string
	Include bool
	Errors  map[string]string
}

// PasteSkip is a line of a paste that made no event, and why.
type PasteSkip struct {
	Line   int
	Text   string
	Reason string
}

// dayGroup is the events of one local day.
type dayGroup struct {
	Label  string
	Events []TimelineEventView
}

func (m TimelineModel) loc() *time.Location {
	if m.Loc == nil {
		return time.UTC
	}
	return m.Loc
}

// SpansDays reports whether the incident or its timeline covers more than
// one calendar day in the viewer's zone; then every day is labelled.
func (m TimelineModel) SpansDays() bool {
	loc := m.loc()
	day := func(t time.Time) string { return dayKey(t, loc) }
	days := map[string]bool{}
	if m.Incident != nil {
		days[day(m.Incident.StartedAt)] = true
		for _, t := range m.Incident.Times {
			if t.At != nil {
				days[day(*t.At)] = true
			}
		}
	}
	for _, e := range m.Events {
		days[day(e.OccurredAt)] = true
	}
	return len(days) > 1
}

// MultipleOffsets reports whether the events fall on both sides of a
// daylight-saving change; then each time names its zone abbreviation.
func (m TimelineModel) MultipleOffsets() bool {
	seen := map[int]bool{}
	for _, e := range m.Events {
		seen[zoneOffset(e.OccurredAt, m.loc())] = true
	}
	return len(seen) > 1
}

func (m TimelineModel) groups() []dayGroup {
	var out []dayGroup
	for _, e := range m.Events {
		label := longDate(e.OccurredAt, m.loc())
		if n := len(out); n > 0 && out[n-1].Label == label {
			out[n-1].Events = append(out[n-1].Events, e)
			continue
		}
		out = append(out, dayGroup{Label: label, Events: []TimelineEventView{e}})
	}
	return out
}

// zoneNote names the viewer's zone, with the date when the incident does
// not span days.
func (m TimelineModel) zoneNote(ctx context.Context) string {
	ref := PageOf(ctx).Now
	if m.Incident != nil {
		ref = m.Incident.StartedAt
	}
	if len(m.Events) > 0 {
		ref = m.Events[0].OccurredAt
	}
	note := "Times in " + ZoneName(m.loc(), ref)
	if m.MultipleOffsets() {
		note = "Times in " + m.loc().String() + "; the clocks changed during this incident"
	}
	if !m.SpansDays() && len(m.Events) > 0 {
		note = longDate(ref, m.loc()) + " · " + note
	}
	return note
}

func (m TimelineModel) clock(t time.Time) string { return clock(t, m.loc()) }

func (m TimelineModel) abbr(t time.Time) string { return zoneAbbr(t, m.loc()) }

// KindLabel capitalises a timeline kind.
func KindLabel(k string) string {
	if k == "" {
		return ""
	}
	return strings.ToUpper(k[:1]) + k[1:]
}

// kindOptions are the timeline kinds for a select.
func (m TimelineModel) kindOptions() []Option { return timelineKindOptions(m.Kinds) }

func timelineKindOptions(kinds []string) []Option {
	out := make([]Option, 0, len(kinds))
	for _, k := range kinds {
		out = append(out, Option{Value: k, Label: KindLabel(k)})
	}
	return out
}

// milestoneOptions are the incident times a milestone can set.
func (m TimelineModel) milestoneOptions() []Option {
	out := []Option{{Value: "", Label: "No incident time"}}
	for _, ms := range m.Milestones {
		out = append(out, Option{Value: ms, Label: "Sets " + ms + " time"})
	}
	return out
}

func sourceNote(e TimelineEventView) string {
	var parts []string
	if e.Author != "" {
		parts = append(parts, e.Author)
	}
	switch e.Source {
	case "paste":
		parts = append(parts, "from a pasted chat log")
	case "pagerduty":
		parts = append(parts, "from PagerDuty")
	case "import":
		parts = append(parts, "imported")
	}
	return strings.Join(parts, " · ")
}

func tlID(prefix, name string) string {
	return "tl-" + prefix + "-" + strings.ReplaceAll(name, "_", "-")
}

func tlDescribedBy(fd Field, f Form, prefix string) string {
	var ids []string
	if f.Err(fd.Name) != "" {
		ids = append(ids, tlID(prefix, fd.Name)+"-error")
	}
	if fd.Help != "" {
		ids = append(ids, tlID(prefix, fd.Name)+"-help")
	}
	return strings.Join(ids, " ")
}

func pasteName(i int, field string) string { return "ev." + strconv.Itoa(i) + "." + field }
