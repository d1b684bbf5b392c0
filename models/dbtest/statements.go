package dbtest

import (
	"sync"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"
)

// Statements counts the statements gorm runs on a database (queries,
// preloads, rows, raw SQL, inserts, updates, deletes) during a call, in
// total and by table: tests use it to show that a page or a write costs
// a fixed number of statements, not a few per row.
type Statements struct {
	on      atomic.Bool
	mu      sync.Mutex
	n       int
	byTable map[string]int
}

// CountStatements registers the counting callbacks on db (once per
// database: Each hands every test a fresh one).
func CountStatements(tb testing.TB, db *gorm.DB) *Statements {
	tb.Helper()
	st := &Statements{byTable: map[string]int{}}
	count := func(tx *gorm.DB) {
		if !st.on.Load() {
			return
		}
		st.mu.Lock()
		defer st.mu.Unlock()
		st.n++
		st.byTable[tx.Statement.Table]++
	}
	cb := db.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("dbtest:count_query", count),
		cb.Row().After("gorm:row").Register("dbtest:count_row", count),
		cb.Raw().After("gorm:raw").Register("dbtest:count_raw", count),
		cb.Create().After("gorm:create").Register("dbtest:count_create", count),
		cb.Update().After("gorm:update").Register("dbtest:count_update", count),
		cb.Delete().After("gorm:delete").Register("dbtest:count_delete", count),
	} {
		if err != nil {
			tb.Fatal(err)
		}
	}
	return st
}

// During counts the statements fn runs: the total and the count by table.
func (st *Statements) During(fn func()) (int, map[string]int) {
	st.mu.Lock()
	st.n, st.byTable = 0, map[string]int{}
	st.mu.Unlock()
	st.on.Store(true)
	fn()
	st.on.Store(false)
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.n, st.byTable
}
