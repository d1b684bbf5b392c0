package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

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
