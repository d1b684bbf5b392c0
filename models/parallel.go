package models

import (
	"gorm.io/gorm"

	"golang.org/x/sync/errgroup"
)

// Parallel runs independent read queries at the same time, each on its
// own pooled connection: a page made of several aggregations then takes
// about as long as its slowest one rather than their sum (SQLite in WAL
// mode reads concurrently too). Inside a transaction, whose single
// connection must not be shared, they run one after the other. The first
// error is returned.
func Parallel(db *gorm.DB, fns ...func() error) error {
	if _, inTx := db.Statement.ConnPool.(gorm.TxCommitter); inTx {
		for _, fn := range fns {
			if err := fn(); err != nil {
				return err
			}
		}
		return nil
	}
	var g errgroup.Group
	for _, fn := range fns {
		g.Go(fn)
	}
	return g.Wait()
}
