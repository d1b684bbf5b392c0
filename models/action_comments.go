package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ActionItemComment is one comment on an action item. Comments are never
// edited or deleted: the discussion is part of the item's history.
type ActionItemComment struct {
	ID           int64
	ActionItemID int64
	AuthorID     *int64
	AuthorName   string
	Body         string // Markdown
	CreatedAt    time.Time
}

// MaxCommentLength caps a comment.
const MaxCommentLength = 10000

// AddActionComment stores a comment on item id by the actor.
func AddActionComment(ctx context.Context, db *gorm.DB, actor Actor, id int64, body string) (*ActionItemComment, error) {
	body = strings.TrimSpace(CleanText(body))
	switch {
	case body == "":
		return nil, FieldError("body", "Write a comment first.")
	case len([]rune(body)) > MaxCommentLength:
		return nil, FieldError("body", fmt.Sprintf("Use at most %d characters.", MaxCommentLength))
	}
	c := &ActionItemComment{ActionItemID: id, AuthorName: actor.Name, Body: body, CreatedAt: Now(db)}
	if actor.UserID != 0 {
		uid := actor.UserID
		c.AuthorID = &uid
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		a, err := GetActionItem(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := tx.Create(c).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditCreate, "action_item", id, "commented on action item "+quote(a.Title),
			map[string]Change{"comment": {To: truncate(body, 200)}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: comment on action item %d: %w", id, TranslateError(err))
	}
	return c, nil
}

// ActionComments returns an item's comments, oldest first.
func ActionComments(ctx context.Context, db *gorm.DB, id int64) ([]ActionItemComment, error) {
	var out []ActionItemComment
	if err := db.WithContext(ctx).Where("action_item_id = ?", id).Order("created_at, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: action item comments: %w", TranslateError(err))
	}
	return out, nil
}

// ActionCommentCounts returns the number of comments of each item.
func ActionCommentCounts(ctx context.Context, db *gorm.DB, ids []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ActionItemID int64
		N            int
	}
	err := db.WithContext(ctx).Model(&ActionItemComment{}).Select("action_item_id, COUNT(*) AS n").
		Where("action_item_id IN ?", ids).Group("action_item_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: comment counts: %w", TranslateError(err))
	}
	for _, r := range rows {
		out[r.ActionItemID] = r.N
	}
	return out, nil
}
