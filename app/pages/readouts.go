package pages

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Readouts serves a review's readout, as a page and as Markdown.
type Readouts struct{ base }

// readoutModel builds the one-page readout: from the snapshot once the
// review is completed, with findings' and action items' current owners
// and dates.
func (h Readouts) readoutModel(c echo.Context, r *models.Review) (views.ReadoutModel, error) {
	ctx := c.Request().Context()
	st, err := models.StateOfReview(ctx, h.DB, r)
	if err != nil {
		return views.ReadoutModel{}, err
	}
	// GetReview loaded the component with its team.
	comp := r.Component
	if comp == nil || comp.ID != r.ComponentID {
		if comp, err = models.GetComponent(ctx, h.DB, r.ComponentID); err != nil {
			return views.ReadoutModel{}, err
		}
	}
	m := views.ReadoutModel{ReviewHeader: h.reviewHeader(c, r), Score: scoreView(st.Score), Tier: comp.Tier, Questions: st.Score.Total,
		NextReviewDue: datePtrString(comp.NextReviewDue), Generated: h.fmtTime(c, h.Now()), FromSnapshot: st.FromSnapshot}
	if r.Status != models.ReviewCompleted && r.Status != models.ReviewArchived {
		m.NextReviewDue = ""
	}
	if comp.Team != nil {
		m.Team = comp.Team.Name
	}
	today := h.Today()
	// The findings as they are now, and their items, in two loads.
	ids := make([]int64, 0, len(st.Findings))
	for _, sf := range st.Findings {
		ids = append(ids, sf.ID)
	}
	fds, err := models.GetFindings(ctx, h.DB, ids)
	if err != nil {
		return m, err
	}
	var byFinding map[int64][]models.ActionItem
	if len(ids) > 0 {
		all, err := h.allActionItems(ctx, models.ActionItemFilter{FindingIDs: ids})
		if err != nil {
			return m, err
		}
		byFinding = itemsByFinding(all)
	}
	for _, sf := range st.Findings {
		fd := fds[sf.ID]
		items := byFinding[fd.ID]
		rf := views.ReadoutFinding{ID: fd.ID, Title: fd.Title, Risk: fd.Risk, Status: fd.Status, Carried: sf.CarriedOver, Rationale: fd.AcceptanceRationale,
			AcceptedUntil: datePtrString(fd.AcceptedUntil), Expired: fd.Expired(today)}
		if fd.Approver != nil {
			rf.Approver = fd.Approver.Name
		}
		for _, it := range items {
			ra := views.ReadoutAction{Title: it.Title, Due: datePtrString(it.DueDate), Status: it.Status}
			if it.Owner != nil {
				ra.Owner = it.Owner.Name
			}
			rf.Actions = append(rf.Actions, ra)
		}
		switch {
		case fd.Status == models.FindingAccepted:
			m.Accepted = append(m.Accepted, rf)
		case fd.Status == models.FindingOpen && (fd.Risk == "critical" || fd.Risk == models.RiskHigh):
			m.HighRisks = append(m.HighRisks, rf)
		default:
			m.Other = append(m.Other, rf)
		}
	}
	return m, nil
}

func (h Readouts) Show(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	m, err := h.readoutModel(c, r)
	if err != nil {
		return err
	}
	p := h.Page(c, "Readout: "+r.Title, "reviews")
	p.Scripts = append(p.Scripts, "js/reviews.js")
	return h.Render(c, http.StatusOK, views.ReadoutPage(p, m))
}

func (h Readouts) Markdown(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	m, err := h.readoutModel(c, r)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="review-%s-%s.md"`, strconv.FormatInt(r.ID, 10), r.Component.Slug))
	return c.Blob(http.StatusOK, "text/markdown; charset=utf-8", []byte(views.ReadoutMarkdown(m)))
}
