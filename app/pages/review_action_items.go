package pages

import (
	"context"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
)

// reviewActionItems lists the items of the review and of the findings it
// tracks (carried-over findings' items included): the review's items,
// then each finding's items in the findings' order, each item once.
func (b base) reviewActionItems(c echo.Context, reviewID int64, findings []models.ReviewFindingRow) ([]models.ActionItem, error) {
	ids := make([]int64, 0, len(findings))
	for _, f := range findings {
		ids = append(ids, f.ID)
	}
	all, err := b.allActionItems(c.Request().Context(), models.ActionItemFilter{ReviewID: reviewID, FindingIDs: ids})
	if err != nil {
		return nil, err
	}
	var items []models.ActionItem
	for _, it := range all {
		if it.ReviewID != nil && *it.ReviewID == reviewID && len(items) < models.DefaultActionItemLimit {
			items = append(items, it)
		}
	}
	seen := map[int64]bool{}
	for _, it := range items {
		seen[it.ID] = true
	}
	byFinding := itemsByFinding(all)
	for _, f := range findings {
		for _, it := range byFinding[f.ID] {
			if !seen[it.ID] {
				seen[it.ID] = true
				items = append(items, it)
			}
		}
	}
	return items, nil
}

// allActionItems lists every item matching f in id order, a page of
// models.MaxActionItemLimit at a time (one query for most pages).
func (b base) allActionItems(ctx context.Context, f models.ActionItemFilter) ([]models.ActionItem, error) {
	f.Limit = models.MaxActionItemLimit
	var out []models.ActionItem
	for {
		page, err := models.ListActionItems(ctx, b.DB, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < f.Limit {
			return out, nil
		}
		f.AfterID = page[len(page)-1].ID
	}
}

// itemsByFinding groups items (in id order) by their finding, keeping
// the first models.DefaultActionItemLimit of each, as listing one
// finding's items does.
func itemsByFinding(items []models.ActionItem) map[int64][]models.ActionItem {
	out := map[int64][]models.ActionItem{}
	for _, it := range items {
		if it.FindingID != nil && len(out[*it.FindingID]) < models.DefaultActionItemLimit {
			out[*it.FindingID] = append(out[*it.FindingID], it)
		}
	}
	return out
}
