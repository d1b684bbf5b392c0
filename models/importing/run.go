package importing

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// Run reads data with the mapping and stores the incidents in one
// transaction: all rows or none. Rows whose external ID was imported
// before update that incident (or leave it alone when nothing changed).
// A problem with the file as a whole is an error; problems with rows are
// in the report, and then nothing is written.
func Run(ctx context.Context, db *gorm.DB, actor models.Actor, m *Mapping, data []byte, opts Options) (*Report, error) {
	if opts.PreviewRows <= 0 {
		opts.PreviewRows = 20
	}
	format := DetectFormat(m, opts.Filename)
	rep := &Report{Format: format, DryRun: opts.DryRun, Errors: []RowError{}, ComponentsCreated: []string{}}
	records, warnings, err := readRecords(m, format, data)
	if err != nil {
		return nil, err
	}
	rep.Warnings = append([]string{}, warnings...)
	rep.Total = len(records)
	if len(records) == 0 {
		return nil, fmt.Errorf("the file has no rows")
	}
	lk, err := loadCatalog(ctx, db)
	if err != nil {
		return nil, err
	}
	rows := make([]*mappedRow, 0, len(records))
	seen := map[string]int{}
	for _, rec := range records {
		row := m.mapRecord(rec, lk)
		if row.externalID != "" {
			if first, dup := seen[row.externalID]; dup {
				if m.Dups == "number" {
					n := 2
					for {
						id := row.externalID + "#" + strconv.Itoa(n)
						if _, taken := seen[id]; !taken {
							row.externalID, row.in.ExternalID = id, id
							break
						}
						n++
					}
				} else {
					row.fail("external_id", fmt.Sprintf("External ID %q is also on line %d (set duplicates: number to keep both).", row.externalID, first))
				}
			}
			seen[row.externalID] = rec.Line
		}
		rows = append(rows, row)
	}
	if err := attachExisting(ctx, db, m.Source, rows); err != nil {
		return nil, err
	}
	for _, row := range rows {
		decideRow(row)
	}
	for _, row := range rows {
		switch row.action {
		case "create":
			rep.Created++
		case "update":
			rep.Updated++
		case "unchanged":
			rep.Unchanged++
		default:
			rep.Rejected++
			rep.Errors = append(rep.Errors, row.errs...)
		}
	}
	for slug := range lk.newComps {
		rep.ComponentsCreated = append(rep.ComponentsCreated, slug)
	}
	slices.Sort(rep.ComponentsCreated)
	rep.Preview = previewRows(rows, lk, opts.PreviewRows)
	if opts.DryRun || !rep.OK() {
		return rep, nil
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return writeRows(ctx, tx, actor, m, lk, rows, rep, opts)
	})
	if err != nil {
		return nil, fmt.Errorf("models: import: %w", models.TranslateError(err))
	}
	return rep, nil
}
