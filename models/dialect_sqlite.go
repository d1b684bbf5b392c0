package models

import (
	"context"
	"math"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// The SQLite dialect; its local time is in dialect_sqlite_time.go.

type sqliteSQL struct{}

func (sqliteSQL) Name() string       { return DialectSQLite }
func (sqliteSQL) ListenNotify() bool { return false }

// SecondsBetween is written exactly as the insight indexes have it
// (migration 00100), so its value comes from an index.
func (sqliteSQL) SecondsBetween(a, b string) string {
	return "(unixepoch(" + b + ", 'subsec') - unixepoch(" + a + ", 'subsec'))"
}

// UnixSeconds is written exactly as incidents_insights_idx indexes it, so
// the value comes from the index.
func (sqliteSQL) UnixSeconds(col string) string { return "unixepoch(" + col + ", 'subsec')" }

func (sqliteSQL) Greatest(a, b string) string { return "MAX(" + a + ", " + b + ")" }

// Floor truncates toward zero, the same for the non-negative numbers it
// is meant for.
func (sqliteSQL) Floor(x string) string { return "CAST(" + x + " AS INTEGER)" }

// Bare: SQLite gives DATETIME columns numeric affinity, so comparing one
// with a text parameter first tries to read the parameter as a number —
// for every row and every comparison (15% of the follow-through
// dashboard's time on 100,000 items). "+col" has no affinity and compares
// text with text, the same result.
func (sqliteSQL) Bare(col string) string { return "+" + col }

// Subquery: SQLite reads the values of a subquery from an index anyway.
func (sqliteSQL) Subquery() string { return "(?)" }

// IndexedBy: SQLite's planner judges indexes by their width and does not
// count the timestamps an index saves it from parsing, so left alone it
// scans a narrower index and parses 100,000 timestamps.
func (sqliteSQL) IndexedBy(table, index string) (string, bool) {
	return table + " INDEXED BY " + index, true
}

func (sqliteSQL) Analyze() string { return "ANALYZE" }

func (sqliteSQL) TextMatch(idCol, fts, _ string, terms []string) (string, any) {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = `"` + t + `"*`
	}
	return idCol + " IN (SELECT rowid FROM " + fts + " WHERE " + fts + " MATCH ?)", strings.Join(parts, " ")
}

// GroupQuantiles: SQLite has no percentile function, and its window
// functions (ROW_NUMBER over 100,000 rows) are slow, so it sorts the
// values once into a temporary table on one connection: rows inserted in
// ORDER BY order get consecutive rowids, so the value of rank k in a group
// is the row at the group's first rowid + k. Go then interpolates between
// ranks ⌊q(n−1)⌋ and ⌊q(n−1)⌋+1 exactly as percentile_cont does
// (Quantile).
func (sqliteSQL) GroupQuantiles(ctx context.Context, db *gorm.DB, values *gorm.DB, quantiles []float64) (map[int64]*QuantileGroup, error) {
	out := map[int64]*QuantileGroup{}
	err := db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		// A temporary table lives in the connection's own temp database:
		// no lock on the main database, invisible to other connections.
		if err := conn.Exec("CREATE TEMP TABLE IF NOT EXISTS insight_values (g INTEGER NOT NULL, d REAL NOT NULL)").Error; err != nil {
			return err
		}
		defer conn.Exec("DELETE FROM insight_values") //nolint:errcheck // emptied again before every use
		if err := conn.Exec("DELETE FROM insight_values").Error; err != nil {
			return err
		}
		if err := conn.Exec("INSERT INTO insight_values (g, d) SELECT g, d FROM (?) s ORDER BY g, d", values).Error; err != nil {
			return err
		}
		var groups []struct {
			G     int64
			First int64
			N     int
			Mean  float64
		}
		if err := conn.Raw("SELECT g, MIN(rowid) AS first, COUNT(*) AS n, AVG(d) AS mean FROM insight_values GROUP BY g").Scan(&groups).Error; err != nil {
			return err
		}
		var ids []int64
		for _, g := range groups {
			for _, q := range quantiles {
				k := int64(math.Floor(q * float64(g.N-1)))
				ids = append(ids, g.First+k, g.First+min(k+1, int64(g.N-1)))
			}
		}
		if len(ids) == 0 {
			return nil
		}
		var picks []struct {
			Rowid int64
			D     float64
		}
		if err := conn.Raw("SELECT rowid, d FROM insight_values WHERE rowid IN ?", ids).Scan(&picks).Error; err != nil {
			return err
		}
		at := make(map[int64]float64, len(picks))
		for _, p := range picks {
			at[p.Rowid] = p.D
		}
		for _, g := range groups {
			qg := &QuantileGroup{N: g.N, Mean: g.Mean}
			for _, q := range quantiles {
				pos := q * float64(g.N-1)
				k := math.Floor(pos)
				lo, hi := at[g.First+int64(k)], at[g.First+min(int64(k)+1, int64(g.N-1))]
				qg.Values = append(qg.Values, lo+(pos-k)*(hi-lo))
			}
			out[g.G] = qg
		}
		return nil
	})
	return out, err
}

// groupStatsSQL: SQLite ranks the values with window functions and
// interpolates between the two closest ranks (quantileSQL); the whole is
// a second pass over the same rows.
func (sqliteSQL) groupStatsSQL(group string, grouped bool, whole int, v, w, from string, ps []float64) string {
	stats := "SUM(w), AVG(v)"
	for _, p := range ps {
		stats += ", " + quantileSQL(p)
	}
	sql := "WITH x AS (SELECT " + group + " AS g, " + v + " AS v, " + w + " AS w" + from + "), " +
		"r AS (SELECT g, v, w, ROW_NUMBER() OVER (PARTITION BY g ORDER BY v) - 1 AS i, COUNT(*) OVER (PARTITION BY g) AS n FROM x) " +
		"SELECT g, n, " + stats + " FROM r GROUP BY g, n"
	if grouped {
		sql += " UNION ALL SELECT " + strconv.Itoa(whole) + ", n, " + stats +
			" FROM (SELECT v, w, ROW_NUMBER() OVER (ORDER BY v) - 1 AS i, COUNT(*) OVER () AS n FROM x) a GROUP BY n"
	}
	return sql
}

// quantileSQL is percentile_cont's interpolation between the ranks
// ⌊p(n−1)⌋ and the next of values v numbered i = 0…n−1 (SQLite).
func quantileSQL(p float64) string {
	ps := strconv.FormatFloat(p, 'g', -1, 64)
	pos := ps + " * (n - 1)"
	lo := "CAST(" + pos + " AS INTEGER)"
	hi := lo + " + (" + pos + " > " + lo + ")"
	return "MAX(CASE WHEN i = " + lo + " THEN v END) + (" + pos + " - " + lo + ") * " +
		"(MAX(CASE WHEN i = " + hi + " THEN v END) - MAX(CASE WHEN i = " + lo + " THEN v END))"
}
