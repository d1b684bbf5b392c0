package models

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// IncidentStatus is where an incident stands.
type IncidentStatus string

// The statuses, in the order an incident usually passes through them.
const (
	StatusInvestigating IncidentStatus = "investigating"
	StatusIdentified    IncidentStatus = "identified"
	StatusMonitoring    IncidentStatus = "monitoring"
	StatusResolved      IncidentStatus = "resolved"
	StatusClosed        IncidentStatus = "closed"
)

// IncidentStatuses lists every status in order.
// Each call returns a fresh copy.
func IncidentStatuses() []IncidentStatus { return slices.Clone(incidentStatuses) }

var incidentStatuses = []IncidentStatus{StatusInvestigating, StatusIdentified, StatusMonitoring, StatusResolved, StatusClosed}

// Valid reports whether s is a known status.
func (s IncidentStatus) Valid() bool { return slices.Contains(incidentStatuses, s) }

// Open reports whether the incident is still being worked on.
func (s IncidentStatus) Open() bool { return s != StatusResolved && s != StatusClosed }

// Incident is one incident record. Its timestamps are UTC; each of them
// may be missing except StartedAt.
type Incident struct {
	ID             int64
	Number         int64
	Title          string
	SeverityID     *int64
	Severity       *Severity `gorm:"foreignKey:SeverityID"`
	Status         IncidentStatus
	StartedAt      time.Time
	DetectedAt     *time.Time
	AcknowledgedAt *time.Time
	MitigatedAt    *time.Time
	ResolvedAt     *time.Time
	TeamID         *int64
	Team           *Team `gorm:"foreignKey:TeamID"`
	CommanderID    *int64
	Commander      *User `gorm:"foreignKey:CommanderID"`
	ScribeID       *int64
	Scribe         *User `gorm:"foreignKey:ScribeID"`
	CommsLeadID    *int64
	CommsLead      *User `gorm:"foreignKey:CommsLeadID"`
	Impact         string
	Summary        string
	Links          []Link `gorm:"serializer:json"`
	ExternalSource string
	ExternalID     string
	CreatedByID    *int64
	Version        int
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Components     []Component   `gorm:"many2many:incident_components;joinForeignKey:IncidentID;joinReferences:ComponentID"`
	Tags           []IncidentTag `gorm:"foreignKey:IncidentID"`
}

// IncidentComponent links an incident to an affected component.
type IncidentComponent struct {
	IncidentID  int64 `gorm:"primaryKey;autoIncrement:false"`
	ComponentID int64 `gorm:"primaryKey;autoIncrement:false"`
}

// IncidentTag is one tag of an incident.
type IncidentTag struct {
	IncidentID int64  `gorm:"primaryKey;autoIncrement:false"`
	Tag        string `gorm:"primaryKey"`
}

// incidentSequence hands out incident numbers.
type incidentSequence struct {
	ID         int64
	LastNumber int64
}

func (incidentSequence) TableName() string { return "incident_sequence" }

// KeyPrefix starts every incident key.
const KeyPrefix = "INC-"

// Key is the incident's human key, like INC-42.
func (i *Incident) Key() string { return IncidentKey(i.Number) }

// IncidentKey formats an incident number as a key.
func IncidentKey(n int64) string { return KeyPrefix + strconv.FormatInt(n, 10) }

// ParseIncidentKey reads "INC-42", "inc-42" or "42".
func ParseIncidentKey(key string) (int64, bool) {
	k := strings.TrimSpace(key)
	if len(k) >= len(KeyPrefix) && strings.EqualFold(k[:len(KeyPrefix)], KeyPrefix) {
		k = k[len(KeyPrefix):]
	}
	n, err := strconv.ParseInt(k, 10, 64)
	return n, err == nil && n > 0
}

// TagNames returns the incident's tags as strings, sorted.
func (i *Incident) TagNames() []string {
	out := make([]string, 0, len(i.Tags))
	for _, t := range i.Tags {
		out = append(out, t.Tag)
	}
	slices.Sort(out)
	return out
}

// ComponentSlugs returns the slugs of the affected components, sorted.
func (i *Incident) ComponentSlugs() []string {
	out := make([]string, 0, len(i.Components))
	for _, c := range i.Components {
		out = append(out, c.Slug)
	}
	slices.Sort(out)
	return out
}

// Link kinds of an incident.
var incidentLinkKinds = []string{"pager", "chat", "ticket", "dashboard", "document", "other"}

// IncidentInput is everything a person (or an import, or a webhook) sets on
// an incident. Updates replace every field, so callers start from
// InputOf(current) and change what they mean to change.
type IncidentInput struct {
	Title          string
	SeverityID     *int64
	Status         IncidentStatus
	StartedAt      *time.Time
	DetectedAt     *time.Time
	AcknowledgedAt *time.Time
	MitigatedAt    *time.Time
	ResolvedAt     *time.Time
	TeamID         *int64
	CommanderID    *int64
	ScribeID       *int64
	CommsLeadID    *int64
	Impact         string
	Summary        string
	Links          []Link
	ComponentIDs   []int64
	Tags           []string
	ExternalSource string
	ExternalID     string
}

// InputOf returns the input that would store i as it is.
func InputOf(i *Incident) IncidentInput {
	in := IncidentInput{
		Title: i.Title, SeverityID: i.SeverityID, Status: i.Status, StartedAt: &i.StartedAt,
		DetectedAt: i.DetectedAt, AcknowledgedAt: i.AcknowledgedAt, MitigatedAt: i.MitigatedAt, ResolvedAt: i.ResolvedAt,
		TeamID: i.TeamID, CommanderID: i.CommanderID, ScribeID: i.ScribeID, CommsLeadID: i.CommsLeadID,
		Impact: i.Impact, Summary: i.Summary, Links: slices.Clone(i.Links), Tags: i.TagNames(),
		ExternalSource: i.ExternalSource, ExternalID: i.ExternalID,
	}
	for _, c := range i.Components {
		in.ComponentIDs = append(in.ComponentIDs, c.ID)
	}
	return in
}

// Limits of incident fields.
const (
	MaxTitleLength    = 200
	MaxMarkdownLength = 100_000
	MaxTags           = 30
	MaxTagLength      = 64
	MaxLinks          = 20
)

// timestampFields names the incident timestamps after started, in order,
// with their form/JSON field names.
var timestampFields = []struct{ Field, Label string }{
	{"detected_at", "Detected"},
	{"acknowledged_at", "Acknowledged"},
	{"mitigated_at", "Mitigated"},
	{"resolved_at", "Resolved"},
}

// NormalizeTag trims a tag, folds it to lower case and collapses inner
// white space.
func NormalizeTag(s string) string {
	return strings.ToLower(CleanLine(s))
}

// Validate normalises the input and checks every rule that needs no
// database. Timestamps: none may be earlier than started, and resolved not
// earlier than mitigated.
func (in *IncidentInput) Validate() *ValidationError {
	v := &ValidationError{}
	in.Title = CleanLine(in.Title)
	switch {
	case in.Title == "":
		v.Add("title", "Enter a title that says what is wrong, like “Checkout fails for EU customers”.")
	case len([]rune(in.Title)) > MaxTitleLength:
		v.Add("title", fmt.Sprintf("Use at most %d characters.", MaxTitleLength))
	}
	if in.Status == "" {
		in.Status = StatusInvestigating
	}
	if !in.Status.Valid() {
		v.Add("status", "Choose investigating, identified, monitoring, resolved or closed.")
	}
	ts := []*time.Time{in.StartedAt, in.DetectedAt, in.AcknowledgedAt, in.MitigatedAt, in.ResolvedAt}
	for i, t := range ts {
		if t != nil {
			u := UTC(*t)
			ts[i] = &u
		}
	}
	in.StartedAt, in.DetectedAt, in.AcknowledgedAt, in.MitigatedAt, in.ResolvedAt = ts[0], ts[1], ts[2], ts[3], ts[4]
	if in.StartedAt == nil {
		v.Add("started_at", "Enter when the incident started (the first moment of impact, as far as you know).")
	} else {
		for i, f := range timestampFields {
			if t := ts[i+1]; t != nil && t.Before(*in.StartedAt) {
				v.Add(f.Field, f.Label+" cannot be earlier than started ("+in.StartedAt.Format("2006-01-02 15:04 MST")+").")
			}
		}
	}
	if in.MitigatedAt != nil && in.ResolvedAt != nil && in.ResolvedAt.Before(*in.MitigatedAt) {
		v.Add("resolved_at", "Resolved cannot be earlier than mitigated.")
	}
	in.Impact, in.Summary = CleanText(in.Impact), CleanText(in.Summary)
	if len(in.Impact) > MaxMarkdownLength {
		v.Add("impact", "The impact text is too long.")
	}
	if len(in.Summary) > MaxMarkdownLength {
		v.Add("summary", "The summary is too long.")
	}
	tags := make([]string, 0, len(in.Tags))
	for _, t := range in.Tags {
		t = NormalizeTag(t)
		switch {
		case t == "":
			continue
		case len([]rune(t)) > MaxTagLength:
			v.Add("tags", fmt.Sprintf("Tags have at most %d characters: %q is longer.", MaxTagLength, t))
		case !slices.Contains(tags, t):
			tags = append(tags, t)
		}
	}
	slices.Sort(tags)
	in.Tags = tags
	if len(in.Tags) > MaxTags {
		v.Add("tags", fmt.Sprintf("Use at most %d tags.", MaxTags))
	}
	links := make([]Link, 0, len(in.Links))
	for _, l := range in.Links {
		l.URL, l.Title, l.Kind = strings.TrimSpace(l.URL), CleanLine(l.Title), CleanLine(l.Kind)
		if l.URL == "" {
			continue
		}
		if l.Kind == "" {
			l.Kind = "other"
		}
		if !ValidURL(l.URL) {
			v.Add("links", fmt.Sprintf("%q is not a web address (http:// or https://).", l.URL))
		}
		if !slices.Contains(incidentLinkKinds, l.Kind) {
			v.Add("links", "Link kinds are "+strings.Join(incidentLinkKinds, ", ")+".")
		}
		links = append(links, l)
	}
	in.Links = links
	if len(in.Links) > MaxLinks {
		v.Add("links", fmt.Sprintf("Use at most %d links.", MaxLinks))
	}
	ids := slices.Clone(in.ComponentIDs)
	slices.Sort(ids)
	in.ComponentIDs = slices.Compact(ids)
	in.ExternalSource = CleanLine(in.ExternalSource)
	in.ExternalID = CleanLine(in.ExternalID)
	if len(in.ExternalID) > 200 || len(in.ExternalSource) > 64 {
		v.Add("external_id", "External source and ID are limited to 64 and 200 characters.")
	}
	if in.ExternalID != "" && in.ExternalSource == "" {
		v.Add("external_source", "Name the system the external ID comes from.")
	}
	return v
}

// ValidURL reports whether s is an absolute http or https URL.
func ValidURL(s string) bool {
	l := strings.ToLower(s)
	return (strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")) && len(s) > len("https://") && !strings.ContainsAny(s, " \t\n")
}

// checkReferences adds field errors for severities, teams, users and
// components that do not exist.
func (in *IncidentInput) checkReferences(ctx context.Context, tx *gorm.DB, v *ValidationError) error {
	exists := func(model any, id *int64) (bool, error) {
		if id == nil {
			return true, nil
		}
		var n int64
		err := tx.WithContext(ctx).Model(model).Where("id = ?", *id).Count(&n).Error
		return n > 0, err
	}
	for _, c := range []struct {
		field string
		model any
		id    *int64
		msg   string
	}{
		{"severity", &Severity{}, in.SeverityID, "Choose a severity from the list."},
		{"team", &Team{}, in.TeamID, "Choose a team from the list."},
		{"commander", &User{}, in.CommanderID, "Choose a person from the list."},
		{"scribe", &User{}, in.ScribeID, "Choose a person from the list."},
		{"comms_lead", &User{}, in.CommsLeadID, "Choose a person from the list."},
	} {
		ok, err := exists(c.model, c.id)
		if err != nil {
			return err
		}
		if !ok {
			v.Add(c.field, c.msg)
		}
	}
	if len(in.ComponentIDs) > 0 {
		var n int64
		if err := tx.WithContext(ctx).Model(&Component{}).Where("id IN ?", in.ComponentIDs).Count(&n).Error; err != nil {
			return err
		}
		if int(n) != len(in.ComponentIDs) {
			v.Add("components", "Choose components from the catalog.")
		}
	}
	return nil
}

// nextIncidentNumbers reserves n consecutive numbers and returns the first.
func nextIncidentNumbers(ctx context.Context, tx *gorm.DB, n int64) (int64, error) {
	// The UPDATE locks the row until the transaction ends, so the SELECT
	// after it reads our own reservation.
	err := tx.WithContext(ctx).Model(&incidentSequence{}).Where("id = 1").
		Update("last_number", gorm.Expr("last_number + ?", n)).Error
	if err != nil {
		return 0, fmt.Errorf("models: next incident number: %w", TranslateError(err))
	}
	var seq incidentSequence
	if err := tx.WithContext(ctx).Where("id = 1").Take(&seq).Error; err != nil {
		return 0, fmt.Errorf("models: next incident number: %w", TranslateError(err))
	}
	return seq.LastNumber - n + 1, nil
}

// CreateIncident validates and stores a new incident.
func CreateIncident(ctx context.Context, db *gorm.DB, actor Actor, in IncidentInput) (*Incident, error) {
	var out *Incident
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		inc, err := createIncidentTx(ctx, tx, actor, in)
		out = inc
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("models: create incident: %w", TranslateError(err))
	}
	return out, nil
}

func createIncidentTx(ctx context.Context, tx *gorm.DB, actor Actor, in IncidentInput) (*Incident, error) {
	v := in.Validate()
	if err := in.checkReferences(ctx, tx, v); err != nil {
		return nil, err
	}
	if in.ExternalID != "" {
		var n int64
		if err := tx.Model(&Incident{}).Where("external_source = ? AND external_id = ?", in.ExternalSource, in.ExternalID).Count(&n).Error; err != nil {
			return nil, err
		}
		if n > 0 {
			v.Add("external_id", "An incident with this external source and ID exists already.")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	num, err := nextIncidentNumbers(ctx, tx, 1)
	if err != nil {
		return nil, err
	}
	inc := &Incident{Number: num}
	applyInput(inc, in)
	inc.Version = 1
	now := Now(tx)
	inc.CreatedAt, inc.UpdatedAt = now, now
	if actor.UserID != 0 {
		id := actor.UserID
		inc.CreatedByID = &id
	}
	if err := insertIncidents(ctx, tx, []*Incident{inc}, [][]int64{in.ComponentIDs}); err != nil {
		return nil, err
	}
	if err := Audit(ctx, tx, actor, AuditCreate, "incident", inc.ID, "declared "+inc.Key()+": "+inc.Title, nil); err != nil {
		return nil, err
	}
	return inc, nil
}

// insertIncidents stores new incidents with their components and tags in
// batches (imports create hundreds at once).
func insertIncidents(ctx context.Context, tx *gorm.DB, incs []*Incident, components [][]int64) error {
	if len(incs) == 0 {
		return nil
	}
	if err := tx.WithContext(ctx).Omit(clause.Associations).CreateInBatches(incs, 200).Error; err != nil {
		return err
	}
	var links []IncidentComponent
	var tags []IncidentTag
	for i, inc := range incs {
		for _, cid := range components[i] {
			links = append(links, IncidentComponent{IncidentID: inc.ID, ComponentID: cid})
		}
		for j := range inc.Tags {
			inc.Tags[j].IncidentID = inc.ID
			tags = append(tags, inc.Tags[j])
		}
	}
	if len(links) > 0 {
		if err := tx.WithContext(ctx).CreateInBatches(links, 500).Error; err != nil {
			return err
		}
	}
	if len(tags) > 0 {
		if err := tx.WithContext(ctx).CreateInBatches(tags, 500).Error; err != nil {
			return err
		}
	}
	return nil
}

// applyInput copies validated input onto the record (components aside).
func applyInput(inc *Incident, in IncidentInput) {
	inc.Title, inc.SeverityID, inc.Status = in.Title, in.SeverityID, in.Status
	inc.StartedAt = *in.StartedAt
	inc.DetectedAt, inc.AcknowledgedAt, inc.MitigatedAt, inc.ResolvedAt = in.DetectedAt, in.AcknowledgedAt, in.MitigatedAt, in.ResolvedAt
	inc.TeamID, inc.CommanderID, inc.ScribeID, inc.CommsLeadID = in.TeamID, in.CommanderID, in.ScribeID, in.CommsLeadID
	inc.Impact, inc.Summary, inc.Links = in.Impact, in.Summary, in.Links
	if inc.Links == nil {
		inc.Links = []Link{}
	}
	inc.ExternalSource, inc.ExternalID = in.ExternalSource, in.ExternalID
	inc.Tags = make([]IncidentTag, 0, len(in.Tags))
	for _, t := range in.Tags {
		inc.Tags = append(inc.Tags, IncidentTag{IncidentID: inc.ID, Tag: t})
	}
}

// incidentPreloads loads what pages and the API show with an incident.
func incidentPreloads(q *gorm.DB) *gorm.DB {
	return q.Preload("Severity").Preload("Team").Preload("Commander").Preload("Scribe").Preload("CommsLead").
		Preload("Components", func(db *gorm.DB) *gorm.DB { return db.Order("components.name") }).
		Preload("Tags", func(db *gorm.DB) *gorm.DB { return db.Order("tag") })
}

// GetIncident loads an incident by ID with everything it shows.
func GetIncident(ctx context.Context, db *gorm.DB, id int64) (*Incident, error) {
	var inc Incident
	if err := incidentPreloads(db.WithContext(ctx)).Where("id = ?", id).Take(&inc).Error; err != nil {
		return nil, fmt.Errorf("models: get incident %d: %w", id, TranslateError(err))
	}
	return &inc, nil
}

// GetIncidentByKey loads an incident by its key (INC-42).
func GetIncidentByKey(ctx context.Context, db *gorm.DB, key string) (*Incident, error) {
	n, ok := ParseIncidentKey(key)
	if !ok {
		return nil, fmt.Errorf("models: get incident %q: %w", key, ErrNotFound)
	}
	var inc Incident
	if err := incidentPreloads(db.WithContext(ctx)).Where("number = ?", n).Take(&inc).Error; err != nil {
		return nil, fmt.Errorf("models: get incident %s: %w", IncidentKey(n), TranslateError(err))
	}
	return &inc, nil
}

// GetIncidentByExternal loads the incident imported or ingested from
// source with the external id.
func GetIncidentByExternal(ctx context.Context, db *gorm.DB, source, externalID string) (*Incident, error) {
	var inc Incident
	err := incidentPreloads(db.WithContext(ctx)).Where("external_source = ? AND external_id = ?", source, externalID).Take(&inc).Error
	if err != nil {
		return nil, fmt.Errorf("models: get incident %s/%s: %w", source, externalID, TranslateError(err))
	}
	return &inc, nil
}

// UpdateIncident replaces the incident's fields with in, refusing a stale
// version (version 0 skips the check, for webhooks and imports that own
// the record's external fields).
func UpdateIncident(ctx context.Context, db *gorm.DB, actor Actor, id int64, version int, in IncidentInput) (*Incident, error) {
	var out *Incident
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		inc, err := updateIncidentTx(ctx, tx, actor, id, version, in)
		out = inc
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("models: update incident %d: %w", id, TranslateError(err))
	}
	return out, nil
}

func updateIncidentTx(ctx context.Context, tx *gorm.DB, actor Actor, id int64, version int, in IncidentInput) (*Incident, error) {
	before, err := GetIncident(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if version != 0 && version != before.Version {
		return nil, &ConflictError{What: "incident " + before.Key(), Current: before, Submitted: in}
	}
	v := in.Validate()
	if err := in.checkReferences(ctx, tx, v); err != nil {
		return nil, err
	}
	if in.ExternalID != "" && (in.ExternalID != before.ExternalID || in.ExternalSource != before.ExternalSource) {
		var n int64
		if err := tx.Model(&Incident{}).Where("external_source = ? AND external_id = ? AND id <> ?", in.ExternalSource, in.ExternalID, id).Count(&n).Error; err != nil {
			return nil, err
		}
		if n > 0 {
			v.Add("external_id", "Another incident has this external source and ID.")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	changes := incidentChanges(before, in)
	if len(changes) == 0 {
		return before, nil
	}
	after := *before
	applyInput(&after, in)
	after.Version = before.Version + 1
	after.UpdatedAt = Now(tx)
	res := tx.Model(&Incident{}).Where("id = ? AND version = ?", id, before.Version).Updates(map[string]any{
		"title": after.Title, "severity_id": after.SeverityID, "status": after.Status,
		"started_at": after.StartedAt, "detected_at": after.DetectedAt, "acknowledged_at": after.AcknowledgedAt,
		"mitigated_at": after.MitigatedAt, "resolved_at": after.ResolvedAt,
		"team_id": after.TeamID, "commander_id": after.CommanderID, "scribe_id": after.ScribeID, "comms_lead_id": after.CommsLeadID,
		"impact": after.Impact, "summary": after.Summary, "links": linksJSON(after.Links),
		"external_source": after.ExternalSource, "external_id": after.ExternalID,
		"version": after.Version, "updated_at": after.UpdatedAt,
	})
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, &ConflictError{What: "incident " + before.Key(), Current: before, Submitted: in}
	}
	if _, ok := changes["components"]; ok {
		if err := tx.Where("incident_id = ?", id).Delete(&IncidentComponent{}).Error; err != nil {
			return nil, err
		}
		for _, cid := range in.ComponentIDs {
			if err := tx.Create(&IncidentComponent{IncidentID: id, ComponentID: cid}).Error; err != nil {
				return nil, err
			}
		}
	}
	if _, ok := changes["tags"]; ok {
		if err := tx.Where("incident_id = ?", id).Delete(&IncidentTag{}).Error; err != nil {
			return nil, err
		}
		if len(after.Tags) > 0 {
			if err := tx.Create(&after.Tags).Error; err != nil {
				return nil, err
			}
		}
	}
	if err := Audit(ctx, tx, actor, AuditUpdate, "incident", id, "updated "+before.Key(), changes); err != nil {
		return nil, err
	}
	return GetIncident(ctx, tx, id)
}

// incidentChanges lists the fields in would change on inc (keyed by their
// snake_case names), for the audit trail and to skip no-op updates.
func incidentChanges(inc *Incident, in IncidentInput) map[string]Change {
	next := *inc
	applyInput(&next, in)
	changes := Diff(inc, &next, "Title", "SeverityID", "Status", "StartedAt", "DetectedAt", "AcknowledgedAt",
		"MitigatedAt", "ResolvedAt", "TeamID", "CommanderID", "ScribeID", "CommsLeadID", "Impact", "Summary",
		"ExternalSource", "ExternalID")
	if !slices.Equal(normLinks(inc.Links), normLinks(in.Links)) {
		changes["links"] = Change{From: inc.Links, To: in.Links}
	}
	var cur []int64
	for _, c := range inc.Components {
		cur = append(cur, c.ID)
	}
	slices.Sort(cur)
	if !slices.Equal(cur, in.ComponentIDs) {
		changes["components"] = Change{From: cur, To: in.ComponentIDs}
	}
	if tags := inc.TagNames(); !slices.Equal(tags, in.Tags) {
		changes["tags"] = Change{From: tags, To: in.Tags}
	}
	return changes
}

func normLinks(l []Link) []Link {
	if len(l) == 0 {
		return nil
	}
	return l
}

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
