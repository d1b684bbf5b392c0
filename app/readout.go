package app

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// readoutModel builds the one-page readout: from the snapshot once the
// review is completed, with findings' and action items' current owners
// and dates.
func (s *Server) readoutModel(c echo.Context, r *models.Review) (views.ReadoutModel, error) {
	ctx := c.Request().Context()
	st, err := models.StateOfReview(ctx, s.db, r)
	if err != nil {
		return views.ReadoutModel{}, err
	}
	comp, err := models.GetComponent(ctx, s.db, r.ComponentID)
	if err != nil {
		return views.ReadoutModel{}, err
	}
	m := views.ReadoutModel{ReviewHeader: s.reviewHeader(c, r), Score: scoreView(st.Score), Tier: comp.Tier, Questions: st.Score.Total,
		NextReviewDue: datePtrString(comp.NextReviewDue), Generated: s.fmtTime(c, s.now()), FromSnapshot: st.FromSnapshot}
	if r.Status != models.ReviewCompleted && r.Status != models.ReviewArchived {
		m.NextReviewDue = ""
	}
	if comp.Team != nil {
		m.Team = comp.Team.Name
	}
	today := s.today()
	for _, sf := range st.Findings {
		fd, err := models.GetFinding(ctx, s.db, sf.ID)
		if err != nil {
			return m, err
		}
		items, err := models.ListActionItems(ctx, s.db, models.ActionItemFilter{FindingID: fd.ID})
		if err != nil {
			return m, err
		}
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

func (s *Server) reviewReadout(c echo.Context) error {
	r, err := s.reviewParam(c)
	if err != nil {
		return err
	}
	m, err := s.readoutModel(c, r)
	if err != nil {
		return err
	}
	p := s.page(c, "Readout: "+r.Title, "reviews")
	p.Scripts = append(p.Scripts, "js/reviews.js")
	return s.render(c, http.StatusOK, views.ReadoutPage(p, m))
}

func (s *Server) reviewReadoutMarkdown(c echo.Context) error {
	r, err := s.reviewParam(c)
	if err != nil {
		return err
	}
	m, err := s.readoutModel(c, r)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="review-%s-%s.md"`, strconv.FormatInt(r.ID, 10), r.Component.Slug))
	return c.Blob(http.StatusOK, "text/markdown; charset=utf-8", []byte(views.ReadoutMarkdown(m)))
}
