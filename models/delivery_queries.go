package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// GetDelivery loads a delivery by ID.
func GetDelivery(ctx context.Context, db *gorm.DB, id int64) (*Delivery, error) {
	var d Delivery
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&d).Error; err != nil {
		return nil, fmt.Errorf("models: get delivery %d: %w", id, TranslateError(err))
	}
	return &d, nil
}

// GetDeliveryByKey loads a delivery by its idempotency key.
func GetDeliveryByKey(ctx context.Context, db *gorm.DB, key string) (*Delivery, error) {
	var d Delivery
	if err := db.WithContext(ctx).Where("idempotency_key = ?", key).Take(&d).Error; err != nil {
		return nil, fmt.Errorf("models: get delivery by key: %w", TranslateError(err))
	}
	return &d, nil
}

// DeliveryFilter narrows ListDeliveries.
type DeliveryFilter struct {
	Status  DeliveryStatus
	Channel Channel
	Kind    string
	// Query matches the recipient, subject or idempotency key.
	Query    string
	BeforeID int64 // paging: rows older than this ID
	Limit    int   // default 50, at most 500
}

// ListDeliveries returns deliveries, newest first.
func ListDeliveries(ctx context.Context, db *gorm.DB, f DeliveryFilter) ([]Delivery, error) {
	q := db.WithContext(ctx).Model(&Delivery{})
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Channel != "" {
		q = q.Where("channel = ?", f.Channel)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		like := "%" + strings.ToLower(s) + "%"
		q = q.Where("lower(recipient) LIKE ? OR lower(subject) LIKE ? OR lower(idempotency_key) LIKE ?", like, like, like)
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	var out []Delivery
	if err := q.Order("id DESC").Limit(f.Limit).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: list deliveries: %w", TranslateError(err))
	}
	return out, nil
}

// DeliveryCounts returns how many deliveries are in each state.
func DeliveryCounts(ctx context.Context, db *gorm.DB) (map[DeliveryStatus]int64, error) {
	var rows []struct {
		Status DeliveryStatus
		N      int64
	}
	if err := db.WithContext(ctx).Model(&Delivery{}).Select("status, count(*) AS n").Group("status").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("models: count deliveries: %w", TranslateError(err))
	}
	out := map[DeliveryStatus]int64{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}

// DeliveryKinds lists the kinds present, for filters.
func DeliveryKinds(ctx context.Context, db *gorm.DB) ([]string, error) {
	var out []string
	if err := db.WithContext(ctx).Model(&Delivery{}).Distinct("kind").Order("kind").Pluck("kind", &out).Error; err != nil {
		return nil, fmt.Errorf("models: delivery kinds: %w", TranslateError(err))
	}
	return out, nil
}

// StaleDeliveries returns IDs of deliveries that should have been worked
// by now: pending since before pendingBefore, or sending since before
// sendingBefore (an attempt that never reported back). Oldest first.
func StaleDeliveries(ctx context.Context, db *gorm.DB, pendingBefore, sendingBefore time.Time, limit int) ([]int64, error) {
	var ids []int64
	err := db.WithContext(ctx).Model(&Delivery{}).
		Where("(status = ? AND send_after < ?) OR (status = ? AND last_attempt_at < ?)",
			DeliveryPending, UTC(pendingBefore), DeliverySending, UTC(sendingBefore)).
		Order("id").Limit(limit).Pluck("id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("models: stale deliveries: %w", TranslateError(err))
	}
	return ids, nil
}
