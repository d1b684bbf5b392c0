package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// ClaimDelivery moves a pending delivery to sending and counts the attempt,
// committed before anything is sent. It returns the delivery and whether
// this caller claimed it; a delivery in any other state is returned
// unclaimed (sent, skipped and failed ones are done; a sending one was
// claimed by an attempt that never finished).
func ClaimDelivery(ctx context.Context, db *gorm.DB, id int64) (*Delivery, bool, error) {
	now := Now(db)
	res := db.WithContext(ctx).Model(&Delivery{}).
		Where("id = ? AND status = ?", id, DeliveryPending).
		Updates(map[string]any{
			"status": DeliverySending, "attempts": gorm.Expr("attempts + 1"),
			"last_attempt_at": now, "updated_at": now,
		})
	if res.Error != nil {
		return nil, false, fmt.Errorf("models: claim delivery %d: %w", id, TranslateError(res.Error))
	}
	d, err := GetDelivery(ctx, db, id)
	if err != nil {
		return nil, false, err
	}
	return d, res.RowsAffected == 1, nil
}

// MarkDeliverySent records a successful send of a claimed delivery.
func MarkDeliverySent(ctx context.Context, db *gorm.DB, id int64) error {
	now := Now(db)
	return finishDelivery(ctx, db, id, DeliverySending, map[string]any{
		"status": DeliverySent, "sent_at": now, "last_error": "", "updated_at": now,
	})
}

// MarkDeliveryError records a failed attempt of a claimed delivery: back
// to pending for another try, or failed for good when final.
func MarkDeliveryError(ctx context.Context, db *gorm.DB, id int64, msg string, final bool) error {
	st := DeliveryPending
	if final {
		st = DeliveryFailed
	}
	return finishDelivery(ctx, db, id, DeliverySending, map[string]any{
		"status": st, "last_error": truncate(msg, 2000), "updated_at": Now(db),
	})
}

// FailDelivery marks a delivery in state from as failed with a reason
// (for example an attempt that was interrupted while sending).
func FailDelivery(ctx context.Context, db *gorm.DB, id int64, from DeliveryStatus, msg string) error {
	return finishDelivery(ctx, db, id, from, map[string]any{
		"status": DeliveryFailed, "last_error": truncate(msg, 2000), "updated_at": Now(db),
	})
}

// SkipDelivery marks a claimed delivery as skipped with the reason.
func SkipDelivery(ctx context.Context, db *gorm.DB, id int64, reason string) error {
	return finishDelivery(ctx, db, id, DeliverySending, map[string]any{
		"status": DeliverySkipped, "last_error": reason, "updated_at": Now(db),
	})
}

func finishDelivery(ctx context.Context, db *gorm.DB, id int64, from DeliveryStatus, set map[string]any) error {
	res := db.WithContext(ctx).Model(&Delivery{}).Where("id = ? AND status = ?", id, from).Updates(set)
	if res.Error != nil {
		return fmt.Errorf("models: update delivery %d: %w", id, TranslateError(res.Error))
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("models: update delivery %d: %w", id, StateErrorf("The delivery is no longer %s.", from))
	}
	return nil
}

// RetryDelivery puts a failed delivery back to pending, to be sent again
// now; the caller enqueues the job that sends it in the same transaction.
// Only failed deliveries can be retried, so two admins clicking at once
// give one retry.
func RetryDelivery(ctx context.Context, db *gorm.DB, actor Actor, id int64) (*Delivery, error) {
	var out *Delivery
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := Now(tx)
		res := tx.Model(&Delivery{}).Where("id = ? AND status = ?", id, DeliveryFailed).
			Updates(map[string]any{"status": DeliveryPending, "send_after": now, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		d, err := GetDelivery(ctx, tx, id)
		if err != nil {
			return err
		}
		if res.RowsAffected == 0 {
			return StateErrorf("Only failed deliveries can be retried; this one is %s.", d.Status)
		}
		out = d
		return Audit(ctx, tx, actor, AuditStateChange, "delivery", id, "retried "+string(d.Channel)+" delivery to "+d.Recipient,
			map[string]Change{"status": {From: DeliveryFailed, To: DeliveryPending}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: retry delivery %d: %w", id, TranslateError(err))
	}
	return out, nil
}
