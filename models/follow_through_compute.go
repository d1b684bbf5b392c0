package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// ComputeFollowThrough computes every figure of the dashboard for s.
func ComputeFollowThrough(ctx context.Context, db *gorm.DB, s FollowThroughScope) (*FollowThrough, error) {
	return computeFollowThrough(ctx, db, s, "")
}

// ComputeFollowThroughBy computes every figure and, in Breakdown, the main
// figures per team or per owner (by is ByTeam or ByOwner). The counts are
// read once, per group; the totals are the sums of the groups.
func ComputeFollowThroughBy(ctx context.Context, db *gorm.DB, s FollowThroughScope, by string) (*FollowThrough, error) {
	return computeFollowThrough(ctx, db, s, by)
}

func computeFollowThrough(ctx context.Context, db *gorm.DB, s FollowThroughScope, by string) (*FollowThrough, error) {
	s = s.at(db)
	if err := s.Validate(); err != nil {
		return nil, err
	}
	f := &FollowThrough{Scope: s, Today: s.Today(), Now: s.Now, BreakdownBy: by}
	db = db.WithContext(ctx)
	group := allItems
	if by != "" {
		group = groupCol(by)
	}
	var (
		snap map[int64]snapshotRow
		comp map[int64]Completion
		cl   map[int64]Closing
	)
	err := Parallel(db,
		func() (err error) { snap, err = snapshotByGroup(db, s, group); return err },
		func() (err error) { comp, err = completionByGroup(db, s, group); return err },
		func() (err error) { cl, err = closingByGroup(db, s, group); return err },
		func() error { return trendFigures(db, f) },
		func() error { return severityFigures(db, f) },
	)
	if err != nil {
		return nil, fmt.Errorf("models: follow-through: %w", TranslateError(err))
	}
	f.Aging = make([]AgingBucket, len(agingBuckets))
	copy(f.Aging, agingBuckets)
	for _, r := range snap {
		f.Open, f.Overdue, f.DueIn7, f.DueIn30 = f.Open+r.Open, f.Overdue+r.Overdue, f.DueIn7+r.DueIn7, f.DueIn30+r.DueIn30
		for i := range f.Aging {
			f.Aging[i].Count += r.Ages[i]
		}
	}
	for _, c := range comp {
		t := &f.Completion
		t.Due, t.OnTime, t.Late, t.OpenOverdue, t.NotYetDue, t.WontDo = t.Due+c.Due, t.OnTime+c.OnTime, t.Late+c.Late,
			t.OpenOverdue+c.OpenOverdue, t.NotYetDue+c.NotYetDue, t.WontDo+c.WontDo
	}
	if by == "" {
		f.Closing = cl[0]
	} else {
		f.Closing = cl[wholeScope]
		delete(cl, wholeScope)
		f.Breakdown = breakdownRows(snap, comp, cl)
	}
	return f, nil
}
