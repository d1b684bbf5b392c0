package models

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// filterRow is a looked-up row: what it is found by, its id, canonical
// value and name.
type filterRow struct {
	Key   string `gorm:"column:lookup_key"`
	ID    int64
	Value string `gorm:"column:lookup_value"`
	Name  string
}

// lookUp finds the rows the waiting values name, one query per kind, and
// fills in their items; a value naming nothing is an error unless its
// parameter is lenient.
func (r *ResolvedFilter) lookUp(ctx context.Context, db *gorm.DB, waiting []pending) error {
	byKind := map[FilterKind][]string{}
	for _, w := range waiting {
		k := w.param.Kind
		if !utf8.ValidString(w.key) || strings.ContainsRune(w.key, 0) {
			continue // names nothing, and PostgreSQL refuses such text
		}
		if !slices.Contains(byKind[k], w.key) {
			byKind[k] = append(byKind[k], w.key)
		}
	}
	found := map[FilterKind]map[string]filterRow{}
	for kind, keys := range byKind {
		rows, err := lookUpFilterRows(ctx, db, kind, keys)
		if err != nil {
			return fmt.Errorf("models: resolve %s filter: %w", kind, TranslateError(err))
		}
		m := make(map[string]filterRow, len(rows))
		for _, row := range rows {
			m[row.Key] = row
		}
		found[kind] = m
	}
	gone := map[string][]int{}
	for _, w := range waiting {
		p := w.param
		it := &r.items[p.Key][w.index]
		row, ok := found[p.Kind][w.key]
		switch {
		case ok:
			it.ID, it.Found, it.Name, it.Value, it.Label = row.ID, true, row.Name, row.Value, row.Name
			switch p.Kind {
			case FilterIncident:
				it.Label = row.Value + " " + row.Name
			case FilterReview, FilterFinding:
				it.Label = "“" + row.Name + "”"
			}
		case p.Lenient:
			if p.Kind == FilterReview || p.Kind == FilterFinding {
				it.Label = "#" + it.Raw
			} else {
				it.ID = -1
			}
		default:
			r.errs.Add(p.Key, p.message(it.Raw))
			gone[p.Key] = append(gone[p.Key], w.index)
		}
	}
	for key, idx := range gone {
		items := r.items[key]
		kept := items[:0]
		for i, it := range items {
			if !slices.Contains(idx, i) {
				kept = append(kept, it)
			}
		}
		r.items[key] = kept
	}
	return nil
}

// lookUpFilterRows loads the rows of one kind by their keys.
func lookUpFilterRows(ctx context.Context, db *gorm.DB, kind FilterKind, keys []string) ([]filterRow, error) {
	var rows []filterRow
	q := db.WithContext(ctx)
	switch kind {
	case FilterTeam:
		q = q.Table("teams").Select("slug AS lookup_key, id, slug AS lookup_value, name").Where("slug IN ?", keys)
	case FilterComponent:
		q = q.Table("components").Select("slug AS lookup_key, id, slug AS lookup_value, name").Where("slug IN ?", keys)
	case FilterUser:
		q = q.Table("users").Select("lower(email) AS lookup_key, id, email AS lookup_value, name").Where("lower(email) IN ?", keys)
	case FilterSeverity:
		q = q.Table("severities").Select("lower(name) AS lookup_key, id, name AS lookup_value, name").Where("lower(name) IN ?", keys)
	case FilterIncident:
		nums := make([]int64, 0, len(keys))
		for _, k := range keys {
			n, _ := strconv.ParseInt(k, 10, 64)
			nums = append(nums, n)
		}
		var incs []struct {
			ID, Number int64
			Title      string
		}
		if err := q.Table("incidents").Select("id, number, title").Where("number IN ?", nums).Find(&incs).Error; err != nil {
			return nil, err
		}
		for _, i := range incs {
			rows = append(rows, filterRow{Key: strconv.FormatInt(i.Number, 10), ID: i.ID, Value: IncidentKey(i.Number), Name: i.Title})
		}
		return rows, nil
	case FilterReview, FilterFinding:
		table := "reviews"
		if kind == FilterFinding {
			table = "findings"
		}
		ids := make([]int64, 0, len(keys))
		for _, k := range keys {
			n, _ := strconv.ParseInt(k, 10, 64)
			ids = append(ids, n)
		}
		var list []struct {
			ID    int64
			Title string
		}
		if err := q.Table(table).Select("id, title").Where("id IN ?", ids).Find(&list).Error; err != nil {
			return nil, err
		}
		for _, x := range list {
			id := strconv.FormatInt(x.ID, 10)
			rows = append(rows, filterRow{Key: id, ID: x.ID, Value: id, Name: x.Title})
		}
		return rows, nil
	default:
		return nil, nil
	}
	err := q.Find(&rows).Error
	return rows, err
}
