package models

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

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
