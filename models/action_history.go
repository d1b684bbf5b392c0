package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

func addActionEvent(tx *gorm.DB, actor Actor, itemID int64, from, to, note string) error {
	e := actionEvent(Now(tx), actor, itemID, from, to, note)
	return tx.Create(&e).Error
}

// actionEvent builds the history entry addActionEvent stores.
func actionEvent(at time.Time, actor Actor, itemID int64, from, to, note string) ActionItemEvent {
	e := ActionItemEvent{ActionItemID: itemID, At: at, ActorName: actor.Name, FromStatus: from, ToStatus: to, Note: note}
	if e.ActorName == "" {
		e.ActorName = "system"
	}
	if actor.UserID != 0 {
		id := actor.UserID
		e.ActorID = &id
	}
	return e
}

// ActionItemHistory returns an item's status history, oldest first.
func ActionItemHistory(ctx context.Context, db *gorm.DB, id int64) ([]ActionItemEvent, error) {
	var out []ActionItemEvent
	if err := db.WithContext(ctx).Where("action_item_id = ?", id).Order("at, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: action item history: %w", TranslateError(err))
	}
	return out, nil
}
