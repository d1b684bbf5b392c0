package models

import (
	"context"
	"fmt"
	"sort"

	"gorm.io/gorm"
)

// Breakdowns of the follow-through figures per team or per owner. The
// burn-ups per postmortem and review are in follow_through_burnups.go,
// the weekly burn-up chart in follow_through_burnup_chart.go.

// Breakdown groups.
const (
	ByTeam  = "team"
	ByOwner = "owner"
)

// FollowThroughRow is the follow-through of one team or owner (ID 0: items
// of no team, or nobody's) for a scope and period.
type FollowThroughRow struct {
	ID                     int64
	Open, Overdue, DueIn7  int64
	Completion             Completion
	Closed, WontDo         int64
	MedianSeconds, P90Secs *float64
}

// CompletionRate is done on time ÷ decided (see Completion.Rate).
func (r FollowThroughRow) CompletionRate() (float64, bool) { return r.Completion.Rate() }

// FollowThroughBreakdown computes the main figures per team or per owner
// (by is ByTeam or ByOwner), most overdue first.
func FollowThroughBreakdown(ctx context.Context, db *gorm.DB, s FollowThroughScope, by string) ([]FollowThroughRow, error) {
	s = s.at(db)
	if err := s.Validate(); err != nil {
		return nil, err
	}
	db = db.WithContext(ctx)
	group := groupCol(by)
	snap, err := snapshotByGroup(db, s, group)
	if err != nil {
		return nil, fmt.Errorf("models: follow-through by %s: %w", by, TranslateError(err))
	}
	comp, err := completionByGroup(db, s, group)
	if err != nil {
		return nil, fmt.Errorf("models: follow-through by %s: %w", by, TranslateError(err))
	}
	cl, err := closingByGroup(db, s, group)
	if err != nil {
		return nil, fmt.Errorf("models: follow-through by %s: %w", by, TranslateError(err))
	}
	delete(cl, wholeScope)
	return breakdownRows(snap, comp, cl), nil
}

// breakdownRows joins the per-group results, most overdue first.
func breakdownRows(snap map[int64]snapshotRow, comp map[int64]Completion, cl map[int64]Closing) []FollowThroughRow {
	ids := map[int64]bool{}
	for id := range snap {
		ids[id] = true
	}
	for id := range comp {
		ids[id] = true
	}
	for id := range cl {
		ids[id] = true
	}
	out := make([]FollowThroughRow, 0, len(ids))
	for id := range ids {
		r := FollowThroughRow{ID: id, Completion: comp[id]}
		if sn, ok := snap[id]; ok {
			r.Open, r.Overdue, r.DueIn7 = sn.Open, sn.Overdue, sn.DueIn7
		}
		if c, ok := cl[id]; ok {
			r.Closed, r.WontDo, r.MedianSeconds, r.P90Secs = c.Closed, c.WontDo, c.MedianSeconds, c.P90Seconds
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Overdue != b.Overdue {
			return a.Overdue > b.Overdue
		}
		if a.Open != b.Open {
			return a.Open > b.Open
		}
		return a.ID < b.ID
	})
	return out
}
