package importing

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// writer stores the rows of an accepted import, chunk by chunk, inside
// the import's transaction.
type writer struct {
	ctx    context.Context
	tx     *gorm.DB
	actor  models.Actor
	m      *Mapping
	lk     *catalog
	opts   Options
	realID map[int64]int64 // placeholder → created component
	done   int
	total  int
}

// components creates the new components first, so rows can point at them.
func (w *writer) components(slugs []string) error {
	w.realID = map[int64]int64{}
	for _, slug := range slugs {
		now := models.Now(w.tx)
		c := models.Component{Name: w.lk.newNames[slug], Slug: slug, Tier: 2, ReviewIntervalDays: models.DefaultReviewInterval(2),
			Links: []models.Link{}, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := w.tx.Create(&c).Error; err != nil {
			return fmt.Errorf("create component %s: %w", slug, err)
		}
		if err := models.Audit(w.ctx, w.tx, w.actor, models.AuditCreate, "component", c.ID, "created component "+slug+" for an incident import", nil); err != nil {
			return err
		}
		w.realID[w.lk.newComps[slug]] = c.ID
	}
	return nil
}

func (w *writer) fix(ids []int64) []int64 {
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id < 0 {
			id = w.realID[id]
		}
		out = append(out, id)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (w *writer) progress(n int) {
	w.done += n
	if w.opts.Progress != nil {
		w.opts.Progress(w.done, w.total)
	}
}

// rows writes one checked chunk: its new incidents, then its updates.
func (w *writer) rows(rows []*mappedRow) error {
	var creates []models.IncidentInput
	for _, r := range rows {
		switch r.action {
		case "create":
			in := r.in
			in.ComponentIDs = w.fix(in.ComponentIDs)
			creates = append(creates, in)
		case "update", "unchanged":
		default:
			// the first pass accepted every row: the data changed since
			msg := "it changed while importing"
			if len(r.errs) > 0 {
				msg = r.errs[0].String()
			}
			return fmt.Errorf("line %d: %s", r.line, msg)
		}
	}
	imported := func(inc *models.Incident) string {
		return "imported " + inc.Key() + " from " + w.m.Source + " " + inc.ExternalID
	}
	if err := models.CreateIncidentsTx(w.ctx, w.tx, w.actor, creates, imported, w.progress); err != nil {
		return err
	}
	for _, r := range rows {
		if r.action != "update" {
			continue
		}
		in := r.in
		in.ComponentIDs = w.fix(in.ComponentIDs)
		if _, err := models.UpdateIncidentTx(w.ctx, w.tx, w.actor, r.existing.ID, 0, in); err != nil {
			if ve, ok := models.AsValidation(err); ok {
				return fmt.Errorf("line %d: %w", r.line, ve)
			}
			return err
		}
		w.progress(1)
	}
	return nil
}

// finish records the import as a whole in the audit trail.
func (w *writer) finish(rep *Report) error {
	if rep.Created+rep.Updated == 0 {
		return nil
	}
	summary := fmt.Sprintf("imported %s from %s: %d created, %d updated, %d unchanged", w.opts.Filename, w.m.Source, rep.Created, rep.Updated, rep.Unchanged)
	return models.Audit(w.ctx, w.tx, w.actor, models.AuditCreate, "incident_import", w.m.Source, summary, nil)
}
