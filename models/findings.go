package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Finding statuses: open → accepted (a risk accepted by an approver until
// an expiry date) / mitigated / resolved.
const (
	FindingOpen      = "open"
	FindingAccepted  = "accepted"
	FindingMitigated = "mitigated"
	FindingResolved  = "resolved"
)

// findingStatuses lists the statuses.
var findingStatuses = []string{FindingOpen, FindingAccepted, FindingMitigated, FindingResolved}

// Finding risks, highest first.
var findingRisks = []string{"critical", RiskHigh, RiskMedium, RiskLow}

// Finding is a risk a review found in a component. It belongs to the
// component and stays with it: unresolved findings carry over to the
// component's next review.
type Finding struct {
	ID                  int64
	ComponentID         int64
	Component           *Component `gorm:"foreignKey:ComponentID"`
	ReviewID            int64
	Review              *Review `gorm:"foreignKey:ReviewID"`
	QuestionKey         string
	Title               string
	Description         string
	Risk                string
	Status              string
	ApproverID          *int64
	Approver            *User `gorm:"foreignKey:ApproverID"`
	AcceptanceRationale string
	AcceptedUntil       *Date
	AcceptedAt          *time.Time
	ClosedAt            *time.Time
	CreatorID           *int64
	Creator             *User `gorm:"foreignKey:CreatorID"`
	Version             int
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// ReviewFinding links a finding to a review that tracks it.
type ReviewFinding struct {
	ReviewID    int64 `gorm:"primaryKey;autoIncrement:false"`
	FindingID   int64 `gorm:"primaryKey;autoIncrement:false"`
	CarriedOver bool
}

// Unresolved reports whether the finding is open or accepted.
func (f *Finding) Unresolved() bool { return f.Status == FindingOpen || f.Status == FindingAccepted }

// Expired reports whether an accepted risk's acceptance has run out.
func (f *Finding) Expired(today Date) bool {
	return f.Status == FindingAccepted && f.AcceptedUntil != nil && f.AcceptedUntil.Before(today)
}

// FindingInput is what a person writes on a finding.
type FindingInput struct {
	Title       string
	Description string
	Risk        string
	QuestionKey string
}

func (in *FindingInput) validate(tv *TemplateVersion) error {
	v := &ValidationError{}
	in.Title = CleanLine(in.Title)
	in.Description = strings.TrimSpace(CleanText(in.Description))
	in.QuestionKey = strings.TrimSpace(in.QuestionKey)
	if in.Title == "" {
		v.Add("title", "Name the risk in a few words.")
	} else if len([]rune(in.Title)) > 200 {
		v.Add("title", "Use at most 200 characters.")
	}
	if !oneOf(in.Risk, findingRisks...) {
		v.Add("risk", "Choose critical, high, medium or low.")
	}
	if in.QuestionKey != "" && tv != nil {
		found := false
		for _, q := range tv.Questions() {
			found = found || q.Key == in.QuestionKey
		}
		if !found {
			v.Add("question_key", "The review's template has no question "+in.QuestionKey+".")
		}
	}
	return v.Err()
}

// CreateFinding records a finding in a review that is not closed.
func CreateFinding(ctx context.Context, db *gorm.DB, actor Actor, reviewID int64, in FindingInput) (*Finding, error) {
	var f *Finding
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := GetReview(ctx, tx, reviewID)
		if err != nil {
			return err
		}
		if r.Closed() {
			return StateErrorf("The review is %s; record new findings in the next review.", r.Status)
		}
		if err := in.validate(r.TemplateVersion); err != nil {
			return err
		}
		now := Now(tx)
		f = &Finding{ComponentID: r.ComponentID, ReviewID: r.ID, QuestionKey: in.QuestionKey, Title: in.Title, Description: in.Description,
			Risk: in.Risk, Status: FindingOpen, Version: 1, CreatedAt: now, UpdatedAt: now}
		if actor.UserID != 0 {
			uid := actor.UserID
			f.CreatorID = &uid
		}
		if err := tx.Omit("Component", "Review", "Approver", "Creator").Create(f).Error; err != nil {
			return err
		}
		if err := tx.Create(&ReviewFinding{ReviewID: r.ID, FindingID: f.ID}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditCreate, "finding", f.ID, "recorded finding "+quote(f.Title),
			map[string]Change{"risk": {To: f.Risk}, "question_key": {To: f.QuestionKey}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: create finding: %w", TranslateError(err))
	}
	return GetFinding(ctx, db, f.ID)
}

// GetFinding loads a finding with its component, review, approver and
// creator.
func GetFinding(ctx context.Context, db *gorm.DB, id int64) (*Finding, error) {
	var f Finding
	err := db.WithContext(ctx).Preload("Component").Preload("Review").Preload("Approver").Preload("Creator").Where("id = ?", id).Take(&f).Error
	if err != nil {
		return nil, fmt.Errorf("models: get finding %d: %w", id, TranslateError(err))
	}
	return &f, nil
}

// GetFindings loads the findings with ids, with their approvers, by id
// (ErrNotFound when one of them does not exist).
func GetFindings(ctx context.Context, db *gorm.DB, ids []int64) (map[int64]*Finding, error) {
	out := make(map[int64]*Finding, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var fs []Finding
	if err := db.WithContext(ctx).Preload("Approver").Where("id IN ?", ids).Find(&fs).Error; err != nil {
		return nil, fmt.Errorf("models: get findings: %w", TranslateError(err))
	}
	for i := range fs {
		out[fs[i].ID] = &fs[i]
	}
	for _, id := range ids {
		if out[id] == nil {
			return nil, fmt.Errorf("models: get finding %d: %w", id, ErrNotFound)
		}
	}
	return out, nil
}

// UpdateFinding changes a finding's title, description and risk while the
// review that raised it is not closed.
func UpdateFinding(ctx context.Context, db *gorm.DB, actor Actor, id int64, version int, in FindingInput) (*Finding, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetFinding(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Review.Closed() {
			return StateErrorf("The review that raised it is %s; only the finding's status can change.", before.Review.Status)
		}
		in.QuestionKey = before.QuestionKey
		if err := in.validate(nil); err != nil {
			return err
		}
		res := tx.Model(&Finding{}).Where("id = ? AND version = ?", id, version).Updates(map[string]any{
			"title": in.Title, "description": in.Description, "risk": in.Risk, "version": gorm.Expr("version + 1"), "updated_at": Now(tx),
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "finding", Current: before, Submitted: in}
		}
		after := *before
		after.Title, after.Description, after.Risk = in.Title, in.Description, in.Risk
		return Audit(ctx, tx, actor, AuditUpdate, "finding", id, "edited finding "+quote(in.Title), Diff(before, &after, "Title", "Description", "Risk"))
	})
	if err != nil {
		return nil, fmt.Errorf("models: update finding %d: %w", id, TranslateError(err))
	}
	return GetFinding(ctx, db, id)
}

// FindingStatusInput moves a finding. Accepting a risk needs an approver
// (email of a facilitator or admin), a rationale and an expiry date after
// today.
type FindingStatusInput struct {
	Status        string
	Approver      string
	Rationale     string
	AcceptedUntil string
	Today         Date
}

// ChangeFindingStatus moves a finding to another status; it works on
// completed reviews too. version 0 skips the stale-version check.
func ChangeFindingStatus(ctx context.Context, db *gorm.DB, actor Actor, id int64, version int, in FindingStatusInput) (*Finding, error) {
	v := &ValidationError{}
	if !oneOf(in.Status, findingStatuses...) {
		v.Add("status", "Choose open, accepted, mitigated or resolved.")
	}
	var approver *User
	var until *Date
	if in.Status == FindingAccepted {
		in.Rationale = strings.TrimSpace(CleanText(in.Rationale))
		if strings.TrimSpace(in.Approver) == "" {
			v.Add("approver", "Name who accepts the risk.")
		} else if u, err := activeUserByEmail(ctx, db, in.Approver); errors.Is(err, ErrNotFound) {
			v.Add("approver", "No active user has the email "+in.Approver+".")
		} else if err != nil {
			return nil, err
		} else if !u.Role.Allows(RoleFacilitator) {
			v.Add("approver", u.Name+" cannot accept risks; choose a facilitator or admin.")
		} else {
			approver = u
		}
		if in.Rationale == "" {
			v.Add("rationale", "Say why the risk is acceptable for now.")
		}
		d, err := DatePtr(in.AcceptedUntil)
		switch {
		case err != nil:
			v.Add("accepted_until", "Enter the expiry as YYYY-MM-DD.")
		case d == nil:
			v.Add("accepted_until", "An accepted risk needs an expiry date, when it is looked at again.")
		case !d.After(in.Today):
			v.Add("accepted_until", "The expiry must be after today.")
		default:
			until = d
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetFinding(ctx, tx, id)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return &ConflictError{What: "finding", Current: before, Submitted: in}
		}
		if before.Status == in.Status && in.Status != FindingAccepted {
			return StateErrorf("The finding is already %s.", in.Status)
		}
		now := Now(tx)
		set := map[string]any{"status": in.Status, "version": gorm.Expr("version + 1"), "updated_at": now,
			"approver_id": nil, "acceptance_rationale": "", "accepted_until": nil, "accepted_at": nil, "closed_at": nil}
		switch in.Status {
		case FindingAccepted:
			set["approver_id"], set["acceptance_rationale"], set["accepted_until"], set["accepted_at"] = approver.ID, in.Rationale, *until, now
		case FindingMitigated, FindingResolved:
			set["closed_at"] = now
		}
		res := tx.Model(&Finding{}).Where("id = ? AND version = ?", id, before.Version).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "finding", Current: before, Submitted: in}
		}
		changes := map[string]Change{"status": {From: before.Status, To: in.Status}}
		if in.Status == FindingAccepted {
			changes["approver"] = Change{To: approver.Email}
			changes["accepted_until"] = Change{To: until.String()}
		}
		return Audit(ctx, tx, actor, AuditStateChange, "finding", id, fmt.Sprintf("finding %s is now %s", quote(before.Title), in.Status), changes)
	})
	if err != nil {
		return nil, fmt.Errorf("models: finding %d status: %w", id, TranslateError(err))
	}
	return GetFinding(ctx, db, id)
}

// ReviewFindingRow is a finding as one review tracks it.
type ReviewFindingRow struct {
	Finding
	CarriedOver bool
}

// ListReviewFindings returns the findings a review tracks (its own and
// those carried over), highest risk first.
func ListReviewFindings(ctx context.Context, db *gorm.DB, reviewID int64) ([]ReviewFindingRow, error) {
	var links []ReviewFinding
	if err := db.WithContext(ctx).Where("review_id = ?", reviewID).Find(&links).Error; err != nil {
		return nil, fmt.Errorf("models: review findings: %w", TranslateError(err))
	}
	if len(links) == 0 {
		return nil, nil
	}
	ids := make([]int64, 0, len(links))
	carried := map[int64]bool{}
	for _, l := range links {
		ids = append(ids, l.FindingID)
		carried[l.FindingID] = l.CarriedOver
	}
	var fs []Finding
	if err := db.WithContext(ctx).Preload("Approver").Where("id IN ?", ids).Order("id").Find(&fs).Error; err != nil {
		return nil, fmt.Errorf("models: review findings: %w", TranslateError(err))
	}
	out := make([]ReviewFindingRow, 0, len(fs))
	for _, f := range fs {
		out = append(out, ReviewFindingRow{Finding: f, CarriedOver: carried[f.ID]})
	}
	sortByRisk(out)
	return out, nil
}

func riskRank(r string) int {
	for i, x := range findingRisks {
		if x == r {
			return i
		}
	}
	return len(findingRisks)
}

func sortByRisk(rows []ReviewFindingRow) {
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && riskRank(rows[j].Risk) < riskRank(rows[j-1].Risk); j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
}

// ListComponentFindings returns a component's findings; unresolvedOnly
// keeps open and accepted ones.
func ListComponentFindings(ctx context.Context, db *gorm.DB, componentID int64, unresolvedOnly bool) ([]Finding, error) {
	q := db.WithContext(ctx).Preload("Approver").Where("component_id = ?", componentID)
	if unresolvedOnly {
		q = q.Where("status IN ?", []string{FindingOpen, FindingAccepted})
	}
	var out []Finding
	if err := q.Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: component findings: %w", TranslateError(err))
	}
	return out, nil
}

// ReviewsOfFinding lists the reviews that track a finding, oldest first.
func ReviewsOfFinding(ctx context.Context, db *gorm.DB, findingID int64) ([]Review, error) {
	var out []Review
	err := db.WithContext(ctx).Preload("Component").Preload("Facilitator").
		Joins("JOIN review_findings rf ON rf.review_id = reviews.id").Where("rf.finding_id = ?", findingID).
		Order("reviews.id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: reviews of finding %d: %w", findingID, TranslateError(err))
	}
	return out, nil
}
