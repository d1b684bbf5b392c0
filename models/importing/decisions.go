package importing

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// attachExisting finds the incidents rows were imported into before.
func attachExisting(ctx context.Context, db *gorm.DB, source string, rows []*mappedRow) error {
	byID := map[string]*mappedRow{}
	var ids []string
	for _, r := range rows {
		if r.externalID != "" {
			byID[r.externalID] = r
			ids = append(ids, r.externalID)
		}
	}
	for start := 0; start < len(ids); start += 500 {
		end := min(start+500, len(ids))
		var found []models.Incident
		err := models.IncidentPreloads(db.WithContext(ctx)).Where("external_source = ? AND external_id IN ?", source, ids[start:end]).Find(&found).Error
		if err != nil {
			return fmt.Errorf("models: import: find existing: %w", models.TranslateError(err))
		}
		for i := range found {
			byID[found[i].ExternalID].existing = &found[i]
		}
	}
	return nil
}

// decideRow validates a row and says whether it creates, updates or
// leaves an incident.
func decideRow(row *mappedRow) {
	if len(row.errs) > 0 {
		row.action = "reject"
		return
	}
	if row.existing != nil {
		row.in = row.merge(models.InputOf(row.existing))
	} else {
		row.in = row.merge(models.IncidentInput{})
		if !row.set["status"] || row.in.Status == "" {
			row.in.Status = models.StatusClosed
			if row.in.ResolvedAt != nil {
				row.in.Status = models.StatusResolved
			}
		}
	}
	if ve := row.in.Validate(); ve.Err() != nil {
		for _, k := range sortedKeys(ve.Fields) {
			row.fail(k, ve.Fields[k])
		}
		for _, g := range ve.Global {
			row.fail("", g)
		}
		row.action = "reject"
		return
	}
	switch {
	case row.existing == nil:
		row.action = "create"
	case len(models.IncidentChanges(row.existing, row.in)) == 0:
		row.action = "unchanged"
	default:
		row.action = "update"
	}
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
