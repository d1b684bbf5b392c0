package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// ReviewDetails is what EditReview changes.
type ReviewDetails struct {
	Title        string
	Facilitator  string
	Participants []string
	ScheduledFor string
}

// EditReview changes a review's title, facilitator, participants and date
// while it is not closed.
func EditReview(ctx context.Context, db *gorm.DB, actor Actor, id int64, version int, in ReviewDetails) (*Review, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := GetReview(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.Closed() {
			return StateErrorf("A %s review is read-only.", r.Status)
		}
		v := &ValidationError{}
		in.Title = CleanLine(in.Title)
		if in.Title == "" {
			v.Add("title", "Give the review a title.")
		}
		fac, ferr := activeUserByEmail(ctx, tx, in.Facilitator)
		switch {
		case errors.Is(ferr, ErrNotFound):
			v.Add("facilitator", "No active user has the email "+in.Facilitator+".")
		case ferr != nil:
			return ferr
		case !fac.Role.Allows(RoleFacilitator):
			v.Add("facilitator", fac.Name+" needs the facilitator or admin role to sign off.")
		}
		scheduled, derr := DatePtr(in.ScheduledFor)
		if derr != nil {
			v.Add("scheduled_for", "Enter the date as YYYY-MM-DD.")
		}
		var people []int64
		for _, e := range in.Participants {
			if NormalizeEmail(e) == "" {
				continue
			}
			u, err := activeUserByEmail(ctx, tx, e)
			if errors.Is(err, ErrNotFound) {
				v.Add("participants", "No active user has the email "+e+".")
				continue
			} else if err != nil {
				return err
			}
			people = append(people, u.ID)
		}
		if err := v.Err(); err != nil {
			return err
		}
		res := tx.Model(&Review{}).Where("id = ? AND version = ?", id, version).Updates(map[string]any{
			"title": in.Title, "facilitator_id": fac.ID, "scheduled_for": scheduled, "version": gorm.Expr("version + 1"), "updated_at": Now(tx),
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "review", Current: r, Submitted: in}
		}
		if err := tx.Where("review_id = ?", id).Delete(&ReviewParticipant{}).Error; err != nil {
			return err
		}
		if err := createParticipants(tx, id, people); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditUpdate, "review", id, "edited review "+quote(in.Title),
			map[string]Change{"title": {From: r.Title, To: in.Title}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: edit review %d: %w", id, TranslateError(err))
	}
	return GetReview(ctx, db, id)
}
