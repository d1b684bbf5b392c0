package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Review statuses: draft → in progress → in review (awaiting sign-off) →
// completed → archived. A draft may also be archived (cancelled).
const (
	ReviewDraft      = "draft"
	ReviewInProgress = "in_progress"
	ReviewInReview   = "in_review"
	ReviewCompleted  = "completed"
	ReviewArchived   = "archived"
)

// Sign-off decisions.
const (
	DecisionReady               = "ready"
	DecisionReadyWithConditions = "ready_with_conditions"
	DecisionNotReady            = "not_ready"
)

// decisions lists the sign-off decisions.
var decisions = []string{DecisionReady, DecisionReadyWithConditions, DecisionNotReady}

// Review actions (transitions).
const (
	ActionStart    = "start"
	ActionSubmit   = "submit"
	ActionReopen   = "reopen"
	ActionComplete = "complete"
	ActionArchive  = "archive"
)

// reviewTransitions maps action → allowed from-statuses and the target.
var reviewTransitions = map[string]struct {
	from []string
	to   string
}{
	ActionStart:    {[]string{ReviewDraft}, ReviewInProgress},
	ActionSubmit:   {[]string{ReviewInProgress}, ReviewInReview},
	ActionReopen:   {[]string{ReviewInReview}, ReviewInProgress},
	ActionComplete: {[]string{ReviewInReview}, ReviewCompleted},
	ActionArchive:  {[]string{ReviewDraft, ReviewCompleted}, ReviewArchived},
}

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

// NewReview is the input for CreateReview.
type NewReview struct {
	Component    string // slug
	TemplateKey  string // template key: its newest published version
	TemplateID   int64  // or a template version id (must be published)
	Title        string
	Facilitator  string // email
	Participants []string
	ScheduledFor string // YYYY-MM-DD or empty
}

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

func activeUserByEmail(ctx context.Context, db *gorm.DB, email string) (*User, error) {
	u, err := GetUserByEmail(ctx, db, NormalizeEmail(email))
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, ErrNotFound
	}
	return u, nil
}

// CreateReview starts a review in draft: one empty answer per question of
// the template version, the component's unresolved findings carried over,
// and a link to its last completed review.
func CreateReview(ctx context.Context, db *gorm.DB, actor Actor, in NewReview) (*Review, error) {
	v := &ValidationError{}
	in.Title = CleanLine(in.Title)
	var comp *Component
	var err error
	if strings.TrimSpace(in.Component) == "" {
		v.Add("component", "Choose the component to review.")
	} else if comp, err = GetComponentBySlug(ctx, db, strings.TrimSpace(in.Component)); errors.Is(err, ErrNotFound) {
		v.Add("component", "No component has the slug "+in.Component+".")
	} else if err != nil {
		return nil, err
	}
	var tv *TemplateVersion
	switch {
	case in.TemplateID != 0:
		tv, err = GetTemplateVersion(ctx, db, in.TemplateID)
	case strings.TrimSpace(in.TemplateKey) != "":
		tv, err = GetTemplateVersionByKey(ctx, db, strings.TrimSpace(in.TemplateKey), 0)
	default:
		err = ErrNotFound
	}
	switch {
	case errors.Is(err, ErrNotFound):
		v.Add("template", "Choose a template that has a published version.")
	case err != nil:
		return nil, err
	case tv.Status != TemplatePublished:
		v.Add("template", fmt.Sprintf("Version %d of %s is %s; reviews start from the published version.", tv.Number, tv.Name, tv.Status))
	}
	var facilitator *User
	if strings.TrimSpace(in.Facilitator) == "" {
		v.Add("facilitator", "Choose who facilitates and signs off the review.")
	} else if facilitator, err = activeUserByEmail(ctx, db, in.Facilitator); errors.Is(err, ErrNotFound) {
		v.Add("facilitator", "No active user has the email "+in.Facilitator+".")
	} else if err != nil {
		return nil, err
	} else if !facilitator.Role.Allows(RoleFacilitator) {
		v.Add("facilitator", facilitator.Name+" is a "+string(facilitator.Role)+"; the facilitator needs the facilitator or admin role to sign off.")
	}
	var participants []*User
	seen := map[string]bool{}
	for _, e := range in.Participants {
		e = NormalizeEmail(e)
		if e == "" || seen[e] {
			continue
		}
		seen[e] = true
		u, err := activeUserByEmail(ctx, db, e)
		if errors.Is(err, ErrNotFound) {
			v.Add("participants", "No active user has the email "+e+".")
			continue
		}
		if err != nil {
			return nil, err
		}
		participants = append(participants, u)
	}
	scheduled, err := DatePtr(in.ScheduledFor)
	if err != nil {
		v.Add("scheduled_for", "Enter the date as YYYY-MM-DD.")
	}
	if in.Title == "" && comp != nil && tv != nil {
		in.Title = fmt.Sprintf("%s — %s", comp.Name, tv.Name)
	}
	if len([]rune(in.Title)) > 200 {
		v.Add("title", "Use at most 200 characters.")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var r *Review
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := Now(tx)
		r = &Review{ComponentID: comp.ID, TemplateVersionID: tv.ID, Title: in.Title, Status: ReviewDraft,
			FacilitatorID: &facilitator.ID, ScheduledFor: scheduled, Version: 1, CreatedAt: now, UpdatedAt: now}
		if actor.UserID != 0 {
			uid := actor.UserID
			r.CreatorID = &uid
		}
		var prevID int64
		if err := tx.Model(&Review{}).Where("component_id = ? AND status IN ?", comp.ID, []string{ReviewCompleted, ReviewArchived}).
			Where("completed_at IS NOT NULL").Order("completed_at DESC, id DESC").Limit(1).Pluck("id", &prevID).Error; err != nil {
			return err
		}
		if prevID != 0 {
			r.PreviousReviewID = &prevID
		}
		if err := tx.Omit(clause.Associations).Create(r).Error; err != nil {
			return err
		}
		if err := createParticipants(tx, r.ID, participantIDs(participants)); err != nil {
			return err
		}
		answers := make([]ReviewAnswer, 0, len(tv.Questions()))
		for _, q := range tv.Questions() {
			answers = append(answers, ReviewAnswer{ReviewID: r.ID, QuestionKey: q.Key, Evidence: []string{}, Version: 1, CreatedAt: now, UpdatedAt: now})
		}
		if err := tx.Omit("UpdatedBy").CreateInBatches(answers, 100).Error; err != nil {
			return err
		}
		// Unresolved findings of the component carry over, linked to where
		// they came from.
		var carry []int64
		if err := tx.Model(&Finding{}).Where("component_id = ? AND status IN ?", comp.ID, []string{FindingOpen, FindingAccepted}).
			Order("id").Pluck("id", &carry).Error; err != nil {
			return err
		}
		if len(carry) > 0 {
			links := make([]ReviewFinding, len(carry))
			for i, fid := range carry {
				links[i] = ReviewFinding{ReviewID: r.ID, FindingID: fid, CarriedOver: true}
			}
			if err := tx.CreateInBatches(links, insertBatch).Error; err != nil {
				return err
			}
		}
		return Audit(ctx, tx, actor, AuditCreate, "review", r.ID, fmt.Sprintf("started review %s of %s (%s)", quote(r.Title), comp.Slug, tv.Label()),
			map[string]Change{"carried_over_findings": {To: len(carry)}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: create review: %w", TranslateError(err))
	}
	return GetReview(ctx, db, r.ID)
}

// GetReview loads a review with its component, template version (with
// questions), facilitator and participants.
func GetReview(ctx context.Context, db *gorm.DB, id int64) (*Review, error) {
	var r Review
	err := db.WithContext(ctx).Preload("Component").Preload("Component.Team").Preload("Facilitator").Preload("SignedOffBy").
		Preload("Participants", func(q *gorm.DB) *gorm.DB { return q.Order("lower(name)") }).
		Where("id = ?", id).Take(&r).Error
	if err != nil {
		return nil, fmt.Errorf("models: get review %d: %w", id, TranslateError(err))
	}
	tv, err := GetTemplateVersion(ctx, db, r.TemplateVersionID)
	if err != nil {
		return nil, err
	}
	r.TemplateVersion = tv
	return &r, nil
}

// ReviewFilter narrows ListReviews.
type ReviewFilter struct {
	ComponentID int64
	Statuses    []string
	AfterID     int64
	Limit       int
	NewestFirst bool
}

// ListReviews returns reviews with their component, facilitator and
// template version (without questions).
func ListReviews(ctx context.Context, db *gorm.DB, f ReviewFilter) ([]Review, error) {
	q := db.WithContext(ctx).Model(&Review{}).Preload("Component").Preload("Facilitator").Preload("TemplateVersion").Preload("TemplateVersion.Template")
	if f.ComponentID != 0 {
		q = q.Where("reviews.component_id = ?", f.ComponentID)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("reviews.status IN ?", f.Statuses)
	}
	if f.AfterID != 0 {
		q = q.Where("reviews.id > ?", f.AfterID)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 500
	}
	order := "reviews.id"
	if f.NewestFirst {
		order = "reviews.id DESC"
	}
	var out []Review
	if err := q.Order(order).Limit(f.Limit).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: list reviews: %w", TranslateError(err))
	}
	return out, nil
}

// SignOff is the decision that completes a review.
type SignOff struct {
	Decision string
	Notes    string
}

// TransitionReview moves a review through its lifecycle. Illegal moves
// return a StateError; moves the user may not make return ErrForbidden.
// Submitting needs every question answered; completing needs a decision
// (and notes unless the decision is "ready"), and stores the snapshot.
// today is the date the cadence counts from.
func TransitionReview(ctx context.Context, db *gorm.DB, actor Actor, id int64, action string, so SignOff) (*Review, error) {
	t, ok := reviewTransitions[action]
	if !ok {
		return nil, fmt.Errorf("models: review %d: %w", id, StateErrorf("Unknown action %q.", action))
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := GetReview(ctx, tx, id)
		if err != nil {
			return err
		}
		u, err := GetUser(ctx, tx, actor.UserID)
		if err != nil {
			return ErrForbidden
		}
		if action == ActionComplete {
			if !CanSignOff(u, r) {
				return fmt.Errorf("%w: only the review's facilitator or an admin signs off", ErrForbidden)
			}
		} else if !CanManageReview(u, r) {
			return fmt.Errorf("%w: only the facilitator, the creator, facilitators and admins run a review", ErrForbidden)
		}
		if !oneOf(r.Status, t.from...) {
			return StateErrorf("A review that is %s cannot %s.", strings.ReplaceAll(r.Status, "_", " "), action)
		}
		now := Now(tx)
		set := map[string]any{"status": t.to, "version": gorm.Expr("version + 1"), "updated_at": now}
		changes := map[string]Change{"status": {From: r.Status, To: t.to}}
		switch action {
		case ActionStart:
			set["started_at"] = now
		case ActionSubmit:
			var open int64
			if err := tx.Model(&ReviewAnswer{}).Where("review_id = ? AND state = ''", id).Count(&open).Error; err != nil {
				return err
			}
			if open > 0 {
				unanswered := fmt.Sprintf("%d questions are", open)
				if open == 1 {
					unanswered = "1 question is"
				}
				return StateErrorf("%s still unanswered; answer every question (not applicable with a reason is an answer) before asking for sign-off.", unanswered)
			}
			set["submitted_at"] = now
		case ActionComplete:
			so.Notes = strings.TrimSpace(CleanText(so.Notes))
			v := &ValidationError{}
			if !oneOf(so.Decision, decisions...) {
				v.Add("decision", "Choose ready, ready with conditions or not ready.")
			} else if so.Decision != DecisionReady && so.Notes == "" {
				v.Add("decision_notes", "Write down the conditions or why it is not ready; the readout shows them.")
			}
			if err := v.Err(); err != nil {
				return err
			}
			set["completed_at"], set["decision"], set["decision_notes"], set["signed_off_by_id"] = now, so.Decision, so.Notes, actor.UserID
			changes["decision"] = Change{To: so.Decision}
		case ActionArchive:
			set["archived_at"] = now
		}
		res := tx.Model(&Review{}).Where("id = ? AND status = ?", id, r.Status).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return StateErrorf("The review changed meanwhile; reload it.")
		}
		if action == ActionComplete {
			if err := markComponentReviewed(tx, r.ComponentID, now); err != nil {
				return err
			}
			if err := takeSnapshot(ctx, tx, id); err != nil {
				return err
			}
		}
		return Audit(ctx, tx, actor, AuditStateChange, "review", id, fmt.Sprintf("%s review %s", action, quote(r.Title)), changes)
	})
	if err != nil {
		return nil, fmt.Errorf("models: review %d %s: %w", id, action, TranslateError(err))
	}
	return GetReview(ctx, db, id)
}

// markComponentReviewed moves the component's cadence forward from a
// completed review (never backwards).
func markComponentReviewed(tx *gorm.DB, componentID int64, at time.Time) error {
	var c Component
	if err := tx.Where("id = ?", componentID).Take(&c).Error; err != nil {
		return err
	}
	if c.LastReviewedAt != nil && c.LastReviewedAt.After(at) {
		return nil
	}
	return tx.Model(&Component{}).Where("id = ?", componentID).Updates(map[string]any{
		"last_reviewed_at": at, "next_review_due": nextDue(&at, c.ReviewIntervalDays),
	}).Error
}

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

// CountReviews counts reviews with a status.
func CountReviews(ctx context.Context, db *gorm.DB, status string) (int64, error) {
	var n int64
	if err := db.WithContext(ctx).Model(&Review{}).Where("status = ?", status).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("models: count reviews: %w", TranslateError(err))
	}
	return n, nil
}
