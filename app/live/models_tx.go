package live

import (
	"context"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// Tx is the broker as models' runner of live transactions
// (models.LiveTx): models functions that own a change and its event run
// them through it. It is Transaction with the Publisher seen as
// models.LiveEvents, so the semantics are Transaction's: the sequence
// number is bumped in the transaction and the event delivered only if it
// commits.
func (b *Broker) Tx() models.LiveTx { return modelsTx{b} }

type modelsTx struct{ b *Broker }

func (m modelsTx) Transaction(ctx context.Context, fn func(tx *gorm.DB, ev models.LiveEvents) error) error {
	return m.b.Transaction(ctx, func(tx *gorm.DB, pub *Publisher) error {
		return fn(tx, modelsEvents{pub})
	})
}

// modelsEvents publishes sequenced events for models.
type modelsEvents struct{ pub *Publisher }

func (e modelsEvents) Publish(topic, kind string, id int64) error {
	_, err := e.pub.Publish(topic, kind, id)
	return err
}
