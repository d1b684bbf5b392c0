package importing

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
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
//
// The rows are streamed in chunks of chunkRows, twice: a first pass
// checks every row and builds the report, and only when every row is
// good a second pass, inside the transaction, writes them. Memory follows
// the chunk, not the file (apart from one external ID per row, kept to
// find duplicates).
func Run(ctx context.Context, db *gorm.DB, actor models.Actor, m *Mapping, data []byte, opts Options) (*Report, error) {
	if opts.PreviewRows <= 0 {
		opts.PreviewRows = 20
	}
	format := DetectFormat(m, opts.Filename)
	rep := &Report{Format: format, DryRun: opts.DryRun, Errors: []RowError{}, ComponentsCreated: []string{}, Warnings: []string{}}
	open := func() (*records, error) { return readRecords(m, format, bytes.NewReader(data)) }
	src, err := open()
	if err != nil {
		return nil, err
	}
	rep.Warnings = append(rep.Warnings, src.warnings...)
	lk, err := loadCatalog(ctx, db)
	if err != nil {
		return nil, err
	}
	err = scanRows(ctx, db, m, lk, src, func(rows []*mappedRow) error {
		rep.add(rows, lk, opts.PreviewRows)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if rep.Total == 0 {
		return nil, fmt.Errorf("the file has no rows")
	}
	for slug := range lk.newComps {
		rep.ComponentsCreated = append(rep.ComponentsCreated, slug)
	}
	slices.Sort(rep.ComponentsCreated)
	if opts.DryRun || !rep.OK() {
		return rep, nil
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		w := &writer{ctx: ctx, tx: tx, actor: actor, m: m, lk: lk, opts: opts, total: rep.Created + rep.Updated}
		if err := w.components(rep.ComponentsCreated); err != nil {
			return err
		}
		src, err := open()
		if err != nil {
			return err
		}
		if err := scanRows(ctx, tx, m, lk, src, w.rows); err != nil {
			return err
		}
		return w.finish(rep)
	})
	if err != nil {
		return nil, fmt.Errorf("models: import: %w", models.TranslateError(err))
	}
	return rep, nil
}

// scanRows maps and checks the rows chunk by chunk, numbering or
// refusing duplicate external IDs across the whole file, and hands each
// decided chunk to fn.
func scanRows(ctx context.Context, db *gorm.DB, m *Mapping, lk *catalog, src *records, fn func([]*mappedRow) error) error {
	seen := map[string]int{}
	rows := make([]*mappedRow, 0, chunkRows)
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		if err := attachExisting(ctx, db, m.Source, rows); err != nil {
			return err
		}
		for _, row := range rows {
			decideRow(row)
		}
		err := fn(rows)
		clear(rows)
		rows = rows[:0]
		return err
	}
	for {
		rec, err := src.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
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
		if len(rows) == chunkRows {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
