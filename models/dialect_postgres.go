package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The PostgreSQL dialect.

type postgresSQL struct{}

func (postgresSQL) Name() string       { return DialectPostgres }
func (postgresSQL) ListenNotify() bool { return true }

func (postgresSQL) SecondsBetween(a, b string) string {
	return "date_part('epoch', " + b + " - " + a + ")"
}

// UnixSeconds uses date_part, which unlike EXTRACT (numeric since
// PostgreSQL 14) works in double precision: several times faster over
// 100,000 rows.
func (postgresSQL) UnixSeconds(col string) string { return "date_part('epoch', " + col + ")" }

func (postgresSQL) Greatest(a, b string) string { return "GREATEST(" + a + ", " + b + ")" }
func (postgresSQL) Floor(x string) string       { return "CAST(FLOOR(" + x + ") AS BIGINT)" }
func (postgresSQL) Bare(col string) string      { return col }
func (postgresSQL) Subquery() string            { return "(? OFFSET 0)" }

func (postgresSQL) IndexedBy(string, string) (string, bool) { return "", false }
func (postgresSQL) Analyze() string                         { return "VACUUM ANALYZE" }

func (postgresSQL) TextMatch(_, _, vector string, terms []string) (string, any) {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t + ":*"
	}
	return vector + " @@ to_tsquery('simple', ?)", strings.Join(parts, " & ")
}

// LocalTime: PostgreSQL converts with `started_at AT TIME ZONE
// 'Europe/Berlin'`, which applies the zone's rules (DST included) from its
// own time zone database.
func (postgresSQL) LocalTime(_ *time.Location, zone string, _ func() (time.Time, time.Time, error)) (LocalTime, error) {
	return pgLocalTime{zone: zone}, nil
}

type pgLocalTime struct{ zone string }

func (lt pgLocalTime) local(col string) (string, []any) {
	return "(" + col + " AT TIME ZONE ?)", []any{lt.zone}
}

func (lt pgLocalTime) HourOfWeek(col string) (string, []any) {
	l, a := lt.local(col)
	return "(CAST(date_part('dow', " + l + ") AS INTEGER) * 24 + CAST(date_part('hour', " + l + ") AS INTEGER))", append(a, a...)
}

func (lt pgLocalTime) WeekDay(col string) (string, []any) {
	l, a := lt.local(col)
	return "(CAST(date_trunc('week', " + l + ") AS DATE) - DATE '1970-01-01')", a
}

func (lt pgLocalTime) MonthNum(col string) (string, []any) {
	l, a := lt.local(col)
	return "(CAST(date_part('year', " + l + ") AS INTEGER) * 12 + CAST(date_part('month', " + l + ") AS INTEGER) - 1)", append(a, a...)
}

func (lt pgLocalTime) Date(col string) (string, []any) {
	l, a := lt.local(col)
	return "to_char(" + l + ", 'YYYY-MM-DD')", a
}

func (p postgresSQL) GroupQuantiles(ctx context.Context, db *gorm.DB, values *gorm.DB, quantiles []float64) (map[int64]*QuantileGroup, error) {
	var cols []string
	for _, q := range quantiles {
		cols = append(cols, fmt.Sprintf("percentile_cont(%g) WITHIN GROUP (ORDER BY d)", q))
	}
	rows, err := db.WithContext(ctx).Raw("SELECT g, COUNT(*) AS n, AVG(d) AS mean, "+strings.Join(cols, ", ")+" FROM "+p.Subquery()+" s GROUP BY g", values).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*QuantileGroup{}
	for rows.Next() {
		var g int64
		qg := &QuantileGroup{Values: make([]float64, len(quantiles))}
		dest := []any{&g, &qg.N, &qg.Mean}
		for i := range qg.Values {
			dest = append(dest, &qg.Values[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		out[g] = qg
	}
	return out, rows.Err()
}

// groupStatsSQL: percentile_cont, and grouping sets for the whole.
func (postgresSQL) groupStatsSQL(group string, grouped bool, whole int, v, w, from string, ps []float64) string {
	key, groupBy := group, ""
	if grouped {
		key = "CASE WHEN GROUPING(" + group + ") = 1 THEN " + strconv.Itoa(whole) + " ELSE " + group + " END"
		groupBy = " GROUP BY GROUPING SETS ((" + group + "), ())"
	}
	sql := "SELECT " + key + " AS g, COUNT(*), COALESCE(SUM(" + w + "), 0), AVG(" + v + ")"
	for _, p := range ps {
		sql += ", percentile_cont(" + strconv.FormatFloat(p, 'g', -1, 64) + ") WITHIN GROUP (ORDER BY " + v + ")"
	}
	return sql + from + groupBy
}
