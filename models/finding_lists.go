package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

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
