package models

import (
	"time"

	"gorm.io/gorm"
)

// Review is an operational review of a component against one template
// version, kept for ever.
type Review struct {
	ID                int64
	ComponentID       int64
	Component         *Component `gorm:"foreignKey:ComponentID"`
	TemplateVersionID int64
	TemplateVersion   *TemplateVersion `gorm:"foreignKey:TemplateVersionID"`
	Title             string
	Status            string
	FacilitatorID     *int64
	Facilitator       *User `gorm:"foreignKey:FacilitatorID"`
	CreatorID         *int64
	ScheduledFor      *Date
	StartedAt         *time.Time
	SubmittedAt       *time.Time
	CompletedAt       *time.Time
	ArchivedAt        *time.Time
	Decision          string
	DecisionNotes     string
	SignedOffByID     *int64
	SignedOffBy       *User `gorm:"foreignKey:SignedOffByID"`
	PreviousReviewID  *int64
	Version           int
	CreatedAt         time.Time
	UpdatedAt         time.Time
	Participants      []User `gorm:"many2many:review_participants;joinForeignKey:ReviewID;joinReferences:UserID"`
}

// ReviewParticipant is one participant of a review.
type ReviewParticipant struct {
	ReviewID int64 `gorm:"primaryKey;autoIncrement:false"`
	UserID   int64 `gorm:"primaryKey;autoIncrement:false"`
}

// createParticipants stores the participants of a review in one insert
// (a person listed twice is stored once).
func createParticipants(tx *gorm.DB, reviewID int64, userIDs []int64) error {
	rows := make([]ReviewParticipant, 0, len(userIDs))
	seen := map[int64]bool{}
	for _, uid := range userIDs {
		if !seen[uid] {
			seen[uid] = true
			rows = append(rows, ReviewParticipant{ReviewID: reviewID, UserID: uid})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.CreateInBatches(rows, insertBatch).Error
}

func participantIDs(users []*User) []int64 {
	out := make([]int64, len(users))
	for i, u := range users {
		out[i] = u.ID
	}
	return out
}

// Editable reports whether answers and findings may still change.
func (r *Review) Editable() bool {
	return r.Status == ReviewDraft || r.Status == ReviewInProgress
}

// Closed reports whether the review is completed or archived (read-only
// except for the status of its findings and action items).
func (r *Review) Closed() bool { return r.Status == ReviewCompleted || r.Status == ReviewArchived }

// CanManageReview reports whether u may move the review through its
// lifecycle (start, submit, reopen, archive, edit its details): users with
// the facilitator or admin role, and the review's facilitator, creator and
// participants.
func CanManageReview(u *User, r *Review) bool {
	if u == nil {
		return false
	}
	if u.Role.Allows(RoleFacilitator) {
		return true
	}
	if (r.FacilitatorID != nil && *r.FacilitatorID == u.ID) || (r.CreatorID != nil && *r.CreatorID == u.ID) {
		return true
	}
	for _, p := range r.Participants {
		if p.ID == u.ID {
			return u.Role.Allows(RoleMember)
		}
	}
	return false
}

// CanSignOff reports whether u may complete the review: its facilitator or
// an admin.
func CanSignOff(u *User, r *Review) bool {
	if u == nil {
		return false
	}
	return u.Role.Allows(RoleAdmin) || (r.FacilitatorID != nil && *r.FacilitatorID == u.ID)
}
