package models

import (
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The per-group queries behind the figures and the breakdowns. group is
// an SQL expression on action_items ai (allItems: one group, 0). Each
// query reads only the rows its figure needs, through an index: the open
// items, the items due in the period, the items closed in the period.

// allItems groups every item together.
const allItems = "0"

func groupCol(by string) string {
	if by == ByOwner {
		return "COALESCE(ai.owner_id, 0)"
	}
	return "COALESCE(ai.team_id, 0)"
}

// groupSQL returns the SELECT expression of the group and its GROUP BY
// clause (none for allItems: PostgreSQL reads GROUP BY 0 as a column
// position).
func groupSQL(group string) (sel, groupBy string) {
	if group == allItems {
		return "0", ""
	}
	return group, " GROUP BY " + group
}

// snapshotRow is one group's open items.
type snapshotRow struct {
	Open, Overdue, DueIn7, DueIn30 int64
	Ages                           []int64
}

func snapshotByGroup(db *gorm.DB, s FollowThroughScope, group string) (map[int64]snapshotRow, error) {
	where, args := s.where()
	today, now := s.Today(), s.now()
	sel, groupBy := groupSQL(group)
	cols := []string{
		sel + " AS g", "COUNT(*) AS open",
		"COALESCE(SUM(CASE WHEN ai.due_date < ? THEN 1 ELSE 0 END), 0)",
		"COALESCE(SUM(CASE WHEN ai.due_date >= ? AND ai.due_date <= ? THEN 1 ELSE 0 END), 0)",
		"COALESCE(SUM(CASE WHEN ai.due_date >= ? AND ai.due_date <= ? THEN 1 ELSE 0 END), 0)",
	}
	colArgs := []any{today, today, today.AddDays(7), today, today.AddDays(30)}
	created := SQL(db).Bare("ai.created_at")
	for _, b := range agingBuckets {
		c := "1 = 1"
		if b.Min > 0 {
			c += " AND " + created + " <= ?"
			colArgs = append(colArgs, now.Add(-time.Duration(b.Min)*day))
		}
		if b.Max >= 0 {
			c += " AND " + created + " > ?"
			colArgs = append(colArgs, now.Add(-time.Duration(b.Max+1)*day))
		}
		cols = append(cols, "COALESCE(SUM(CASE WHEN "+c+" THEN 1 ELSE 0 END), 0)")
	}
	sql := "SELECT " + strings.Join(cols, ", ") + " FROM action_items ai WHERE ai.status IN " + openStatusesSQL + " AND " + where + groupBy
	rows, err := db.Raw(sql, append(colArgs, args...)...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]snapshotRow{}
	for rows.Next() {
		var g int64
		r := snapshotRow{Ages: make([]int64, len(agingBuckets))}
		dest := []any{&g, &r.Open, &r.Overdue, &r.DueIn7, &r.DueIn30}
		for i := range r.Ages {
			dest = append(dest, &r.Ages[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if r.Open > 0 || group == allItems {
			out[g] = r
		}
	}
	if _, ok := out[0]; !ok && group == allItems {
		out[0] = snapshotRow{Ages: make([]int64, len(agingBuckets))}
	}
	return out, rows.Err()
}

// completionSums are the SQL sums of the completion outcomes with their
// arguments.
func completionSums(today Date) (string, []any) {
	sql := "COALESCE(SUM(CASE WHEN ai.status = 'done' AND ai.closed_on <= ai.due_date THEN 1 ELSE 0 END), 0), " +
		"COALESCE(SUM(CASE WHEN ai.status = 'done' AND NOT (ai.closed_on <= ai.due_date) THEN 1 ELSE 0 END), 0), " +
		"COALESCE(SUM(CASE WHEN ai.status IN " + openStatusesSQL + " AND ai.due_date < ? THEN 1 ELSE 0 END), 0), " +
		"COALESCE(SUM(CASE WHEN ai.status IN " + openStatusesSQL + " AND ai.due_date >= ? THEN 1 ELSE 0 END), 0), " +
		"COALESCE(SUM(CASE WHEN ai.status = 'wont_do' THEN 1 ELSE 0 END), 0)"
	return sql, []any{today, today}
}

func completionByGroup(db *gorm.DB, s FollowThroughScope, group string) (map[int64]Completion, error) {
	where, args := s.where()
	sums, sumArgs := completionSums(s.Today())
	sel, groupBy := groupSQL(group)
	sql := "SELECT " + sel + " AS g, COUNT(*), " + sums + " FROM action_items ai WHERE ai.due_date >= ? AND ai.due_date <= ? AND " + where + groupBy
	rows, err := db.Raw(sql, append(append(sumArgs, s.From, s.To), args...)...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]Completion{}
	for rows.Next() {
		var g int64
		var c Completion
		if err := rows.Scan(&g, &c.Due, &c.OnTime, &c.Late, &c.OpenOverdue, &c.NotYetDue, &c.WontDo); err != nil {
			return nil, err
		}
		out[g] = c
	}
	return out, rows.Err()
}

// closeSeconds is the SQL of an item's time to close in seconds, never
// negative.
func closeSeconds(db *gorm.DB) string {
	d := SQL(db)
	return d.Greatest(d.SecondsBetween("ai.created_at", "ai.closed_at"), "0")
}

// wholeScope is the group key of the whole scope's closing figures in
// closingByGroup's answer (group keys are IDs or 0).
const wholeScope = -1

// closingByGroup counts the items closed in the period per group, with
// the won't do among them and the mean, median and p90 time to close; for
// a real grouping it adds the whole scope's figures under wholeScope, from
// the same pass (quantiles do not add up). The dialect interpolates the
// quantiles as Quantile in stats.go defines them.
func closingByGroup(db *gorm.DB, s FollowThroughScope, group string) (map[int64]Closing, error) {
	where, args := s.where()
	sel, _ := groupSQL(group)
	value := closeSeconds(db)
	from := " FROM action_items ai WHERE ai.status IN ('done', 'wont_do') AND ai.closed_on >= ? AND ai.closed_on <= ? AND " + where
	wont := "CASE WHEN ai.status = 'wont_do' THEN 1 ELSE 0 END"
	sql := SQL(db).groupStatsSQL(sel, group != allItems, wholeScope, value, wont, from, []float64{0.5, 0.9})
	rows, err := db.Raw(sql, append([]any{s.From, s.To}, args...)...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]Closing{}
	for rows.Next() {
		var g int64
		var c Closing
		if err := rows.Scan(&g, &c.Closed, &c.WontDo, &c.MeanSeconds, &c.MedianSeconds, &c.P90Seconds); err != nil {
			return nil, err
		}
		if c.Closed > 0 {
			out[g] = c
		}
	}
	return out, rows.Err()
}

// severityFigures: postmortem and retro items (linked to an incident)
// created in the period, per severity of the incident.
func severityFigures(db *gorm.DB, f *FollowThrough) error {
	where, args := f.Scope.where()
	secs := SQL(db).SecondsBetween("ai.created_at", "ai.closed_at")
	created := SQL(db).Bare("ai.created_at")
	cols := []string{"s.id", "COALESCE(s.name, '')", "COALESCE(s.rank, 0)", "COALESCE(s.color, '')",
		"COUNT(*)", "COALESCE(SUM(CASE WHEN ai.status IN " + openStatusesSQL + " THEN 1 ELSE 0 END), 0)"}
	var colArgs []any
	for _, days := range withinDays {
		cols = append(cols,
			"COALESCE(SUM(CASE WHEN "+created+" <= ? THEN 1 ELSE 0 END), 0)",
			"COALESCE(SUM(CASE WHEN "+created+" <= ? AND ai.closed_at IS NOT NULL AND "+secs+" <= "+strconv.Itoa(days*86400)+" THEN 1 ELSE 0 END), 0)")
		cut := f.Now.Add(-time.Duration(days) * day)
		colArgs = append(colArgs, cut, cut)
	}
	sql := "SELECT " + strings.Join(cols, ", ") + " FROM action_items ai JOIN incidents inc ON inc.id = ai.incident_id " +
		"LEFT JOIN severities s ON s.id = inc.severity_id " +
		"WHERE ai.created_at >= ? AND ai.created_at < ? AND ai.incident_id IS NOT NULL AND " + where +
		" GROUP BY s.id, s.name, s.rank, s.color ORDER BY CASE WHEN s.id IS NULL THEN 1 ELSE 0 END, s.rank"
	all := append(append(colArgs, Midnight(f.Scope.From, f.Scope.loc()), Midnight(f.Scope.To.AddDays(1), f.Scope.loc())), args...)
	rows, err := db.Raw(sql, all...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r SeverityFollowThrough
		within := make([]ClosedWithin, len(withinDays))
		dest := []any{&r.SeverityID, &r.Name, &r.Rank, &r.Color, &r.Items, &r.Open}
		for i, days := range withinDays {
			within[i].Days = days
			dest = append(dest, &within[i].Eligible, &within[i].Closed)
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		r.Within = within
		f.BySeverity = append(f.BySeverity, r)
	}
	return rows.Err()
}
