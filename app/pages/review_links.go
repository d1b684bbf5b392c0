package pages

import (
	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Links between the catalog and action items on one side and reviews and
// findings on the other.

// fillActionLinks links an action item's page to the review, finding and
// retro it came from (its incident comes with the item).
func (b base) fillActionLinks(c echo.Context, a *models.ActionItem, m *views.ActionDetail) error {
	t, err := models.SourceTitlesOf(c.Request().Context(), b.DB, a)
	if err != nil {
		return err
	}
	if a.ReviewID != nil {
		m.ReviewID, m.ReviewTitle = *a.ReviewID, t.Review
	}
	if a.FindingID != nil {
		m.FindingID, m.FindingTitle = *a.FindingID, t.Finding
	}
	if a.RetroSessionID != nil {
		m.RetroID, m.RetroTitle = *a.RetroSessionID, t.Retro
	}
	return nil
}

func (b base) fillComponentReviews(c echo.Context, comp *models.Component, m *views.ComponentDetail) error {
	ctx := c.Request().Context()
	reviews, err := models.ListReviews(ctx, b.DB, models.ReviewFilter{ComponentID: comp.ID, NewestFirst: true})
	if err != nil {
		return err
	}
	m.Reviews = b.reviewRows(c, reviews)
	if len(reviews) >= 2 {
		m.CompareCandidate = [2]int64{reviews[1].ID, reviews[0].ID}
	}
	findings, err := models.ListComponentFindings(ctx, b.DB, comp.ID, true)
	if err != nil {
		return err
	}
	today := b.Today()
	for i := range findings {
		m.Findings = append(m.Findings, findingRow(today, &findings[i], false))
	}
	m.CanStartReview = b.Can(c, "reviews.create")
	return nil
}
