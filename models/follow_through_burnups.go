package models

import (
	"context"
	"fmt"
	"strconv"

	"gorm.io/gorm"
)

// PostmortemBurnUp is the progress of the action items of one incident's
// postmortem (and retro) within a scope.
type PostmortemBurnUp struct {
	IncidentID     int64
	IncidentNumber int64
	IncidentTitle  string
	SeverityName   string
	SeverityColor  string
	BurnUpCounts
}

// Key is the incident's key, like INC-42.
func (p PostmortemBurnUp) Key() string { return IncidentKey(p.IncidentNumber) }

// ReviewBurnUp is the progress of the action items of one operational
// review (its findings' items included) within a scope.
type ReviewBurnUp struct {
	ReviewID      int64
	ReviewTitle   string
	ComponentName string
	ComponentSlug string
	BurnUpCounts
}

// BurnUpCounts are a group's items by state.
type BurnUpCounts struct {
	Items   int64
	Done    int64
	WontDo  int64
	Open    int64
	Overdue int64
}

// PostmortemBurnUps lists the postmortems with action items in the scope
// that still have open items or had items created or closed in the
// period: most overdue first, then most open, then the newest incident.
func PostmortemBurnUps(ctx context.Context, db *gorm.DB, s FollowThroughScope, limit int) ([]PostmortemBurnUp, error) {
	var out []PostmortemBurnUp
	err := burnUpGroups(ctx, db, s, limit, "incident_id",
		"JOIN incidents g ON g.id = top.gid LEFT JOIN severities sv ON sv.id = g.severity_id",
		"g.number, g.title, COALESCE(sv.name, ''), COALESCE(sv.color, '')",
		func(scan func(dest ...any) error) error {
			var p PostmortemBurnUp
			c := &p.BurnUpCounts
			if err := scan(&p.IncidentID, &p.IncidentNumber, &p.IncidentTitle, &p.SeverityName, &p.SeverityColor, &c.Items, &c.Done, &c.WontDo, &c.Open, &c.Overdue); err != nil {
				return err
			}
			out = append(out, p)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("models: postmortem burn-ups: %w", err)
	}
	return out, nil
}

// ReviewBurnUps lists the reviews with action items in the scope, chosen
// and ordered as PostmortemBurnUps.
func ReviewBurnUps(ctx context.Context, db *gorm.DB, s FollowThroughScope, limit int) ([]ReviewBurnUp, error) {
	var out []ReviewBurnUp
	err := burnUpGroups(ctx, db, s, limit, "review_id",
		"JOIN reviews g ON g.id = top.gid JOIN components gc ON gc.id = g.component_id",
		"g.title, gc.name, gc.slug",
		func(scan func(dest ...any) error) error {
			var r ReviewBurnUp
			c := &r.BurnUpCounts
			if err := scan(&r.ReviewID, &r.ReviewTitle, &r.ComponentName, &r.ComponentSlug, &c.Items, &c.Done, &c.WontDo, &c.Open, &c.Overdue); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("models: review burn-ups: %w", err)
	}
	return out, nil
}

// burnUpGroups runs the grouped burn-up query over the items' column col
// (incident_id, review_id): join joins the chosen groups (top.gid) as g,
// and cols are the group's columns to return after its id; each row goes
// to scan. Ties go to the newest group (highest id).
//
// Open and overdue counts come from the open items alone (an index range);
// groups without open items but with items closed or created in the
// period follow. Only the chosen groups' items are read in full. (col + 0
// keeps SQLite on the covering indexes of the open, closed and created
// ranges instead of walking every grouped item in group order, with a
// table lookup each: 10× slower on 100,000 items.)
func burnUpGroups(ctx context.Context, db *gorm.DB, s FollowThroughScope, limit int, col, join, cols string, scan func(func(...any) error) error) error {
	s = s.at(db)
	if err := s.Validate(); err != nil {
		return err
	}
	if limit <= 0 {
		limit = 20
	}
	where, args := s.where()
	c := "ai." + col
	sql := "WITH o AS (SELECT " + c + " + 0 AS gid, COUNT(*) AS open, SUM(CASE WHEN ai.due_date < ? THEN 1 ELSE 0 END) AS overdue " +
		"FROM action_items ai WHERE " + c + " IS NOT NULL AND ai.status IN " + openStatusesSQL + " AND " + where + " GROUP BY " + c + " + 0), " +
		"act AS (SELECT " + c + " + 0 AS gid FROM action_items ai WHERE " + c + " + 0 > 0 AND ai.closed_on >= ? AND ai.closed_on <= ? AND " + where +
		" UNION SELECT " + c + " + 0 FROM action_items ai WHERE " + c + " + 0 > 0 AND ai.created_at >= ? AND ai.created_at < ? AND " + where + "), " +
		"cand AS (SELECT gid, open, overdue FROM o UNION ALL SELECT gid, 0, 0 FROM act WHERE gid NOT IN (SELECT gid FROM o)), " +
		"top AS (SELECT gid, open, overdue FROM cand ORDER BY overdue DESC, open DESC, gid DESC LIMIT " + strconv.Itoa(limit) + ") " +
		"SELECT top.gid, " + cols + ", COUNT(*), " +
		"COALESCE(SUM(CASE WHEN ai.status = 'done' THEN 1 ELSE 0 END), 0), " +
		"COALESCE(SUM(CASE WHEN ai.status = 'wont_do' THEN 1 ELSE 0 END), 0), top.open, top.overdue " +
		"FROM top JOIN action_items ai ON " + c + " = top.gid " + join +
		" WHERE " + where + " GROUP BY top.gid, " + cols + ", top.open, top.overdue " +
		"ORDER BY top.overdue DESC, top.open DESC, top.gid DESC"
	all := append([]any{s.Today()}, args...)
	all = append(append(all, s.From, s.To), args...)
	all = append(append(all, Midnight(s.From, s.loc()), Midnight(s.To.AddDays(1), s.loc())), args...)
	all = append(all, args...)
	rows, err := db.WithContext(ctx).Raw(sql, all...).Rows()
	if err != nil {
		return TranslateError(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}
