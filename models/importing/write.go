package importing

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// writeRows stores the rows of an accepted import.
func writeRows(ctx context.Context, tx *gorm.DB, actor models.Actor, m *Mapping, lk *catalog, rows []*mappedRow, rep *Report, opts Options) error {
	// New components first, so rows can point at them.
	realID := map[int64]int64{}
	for _, slug := range rep.ComponentsCreated {
		now := models.Now(tx)
		c := models.Component{Name: lk.newNames[slug], Slug: slug, Tier: 2, ReviewIntervalDays: models.DefaultReviewInterval(2),
			Links: []models.Link{}, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&c).Error; err != nil {
			return fmt.Errorf("create component %s: %w", slug, err)
		}
		if err := models.Audit(ctx, tx, actor, models.AuditCreate, "component", c.ID, "created component "+slug+" for an incident import", nil); err != nil {
			return err
		}
		realID[lk.newComps[slug]] = c.ID
	}
	fix := func(ids []int64) []int64 {
		out := make([]int64, 0, len(ids))
		for _, id := range ids {
			if id < 0 {
				id = realID[id]
			}
			out = append(out, id)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	var creates []models.IncidentInput
	for _, r := range rows {
		if r.action == "create" {
			in := r.in
			in.ComponentIDs = fix(in.ComponentIDs)
			creates = append(creates, in)
		}
	}
	total := rep.Created + rep.Updated
	done := 0
	progress := func(n int) {
		done += n
		if opts.Progress != nil {
			opts.Progress(done, total)
		}
	}
	imported := func(inc *models.Incident) string {
		return "imported " + inc.Key() + " from " + m.Source + " " + inc.ExternalID
	}
	if err := models.CreateIncidentsTx(ctx, tx, actor, creates, imported, progress); err != nil {
		return err
	}
	for _, r := range rows {
		if r.action != "update" {
			continue
		}
		in := r.in
		in.ComponentIDs = fix(in.ComponentIDs)
		if _, err := models.UpdateIncidentTx(ctx, tx, actor, r.existing.ID, 0, in); err != nil {
			if ve, ok := models.AsValidation(err); ok {
				return fmt.Errorf("line %d: %w", r.line, ve)
			}
			return err
		}
		progress(1)
	}
	summary := fmt.Sprintf("imported %s from %s: %d created, %d updated, %d unchanged", opts.Filename, m.Source, rep.Created, rep.Updated, rep.Unchanged)
	if rep.Created+rep.Updated == 0 {
		return nil
	}
	return models.Audit(ctx, tx, actor, models.AuditCreate, "incident_import", m.Source, summary, nil)
}
