package pages

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

var changeLabels = []struct{ change, label string }{
	{models.ChangeImproved, "Improved"}, {models.ChangeRegressed, "Regressed"}, {models.ChangeUnchanged, "Unchanged"},
	{models.ChangeNew, "New questions"}, {models.ChangeRetired, "Retired questions"}, {models.ChangeChanged, "To or from not applicable"},
	{models.ChangeUnanswered, "Not answered yet"},
}

// componentCompare compares two reviews of a component (?a=&b=, by
// default the two newest).
func (h Components) Compare(c echo.Context) error {
	ctx := c.Request().Context()
	comp, err := models.GetComponentBySlug(ctx, h.DB, c.Param("slug"))
	if err != nil {
		return err
	}
	reviews, err := models.ListReviews(ctx, h.DB, models.ReviewFilter{ComponentID: comp.ID, NewestFirst: true})
	if err != nil {
		return err
	}
	if len(reviews) < 2 {
		h.Flash(c, "info", "Comparing needs two reviews of the component.")
		return h.Redirect(c, h.Path("components.show", comp.Slug))
	}
	ida, idb := reviews[1].ID, reviews[0].ID
	if v := c.QueryParam("a"); v != "" {
		ida, _ = strconv.ParseInt(v, 10, 64)
	}
	if v := c.QueryParam("b"); v != "" {
		idb, _ = strconv.ParseInt(v, 10, 64)
	}
	var a, b *models.Review
	for i := range reviews {
		if reviews[i].ID == ida {
			a = &reviews[i]
		}
		if reviews[i].ID == idb {
			b = &reviews[i]
		}
	}
	if a == nil || b == nil {
		return fmt.Errorf("app: compare: %w", models.ErrNotFound)
	}
	if a, err = models.GetReview(ctx, h.DB, a.ID); err != nil {
		return err
	}
	if b, err = models.GetReview(ctx, h.DB, b.ID); err != nil {
		return err
	}
	cmp, err := models.CompareReviews(ctx, h.DB, a, b, h.Now())
	if err != nil {
		return err
	}
	m := views.CompareModel{ComponentName: comp.Name, ComponentSlug: comp.Slug, From: h.fmtTime(c, cmp.From), To: h.fmtTime(c, cmp.To),
		A: h.compareSide(c, cmp.A), B: h.compareSide(c, cmp.B),
		Form: views.NewForm().Set("a", strconv.FormatInt(cmp.A.ReviewID, 10)).Set("b", strconv.FormatInt(cmp.B.ReviewID, 10))}
	for _, r := range reviews {
		label := fmt.Sprintf("%s — %s", r.Title, views.ReviewStatusLabel(r.Status))
		if r.CompletedAt != nil {
			label += ", " + h.fmtDay(c, r.CompletedAt)
		}
		m.Reviews = append(m.Reviews, views.Option{Value: strconv.FormatInt(r.ID, 10), Label: label})
	}
	for _, cl := range changeLabels {
		if n := cmp.Counts[cl.change]; n > 0 || (cl.change != models.ChangeChanged && cl.change != models.ChangeUnanswered) {
			m.Counts = append(m.Counts, views.CompareCount{Change: cl.change, Label: cl.label, N: n})
		}
	}
	for _, q := range cmp.Questions {
		v := views.QuestionDiffView{Key: q.Key, Prompt: q.Prompt, Section: q.Section, Risk: q.Risk, Before: q.Before, After: q.After, Change: q.Change}
		switch q.Change {
		case models.ChangeUnchanged:
			m.Unchanged = append(m.Unchanged, v)
		case models.ChangeUnanswered:
			m.Unanswered = append(m.Unanswered, v)
		default:
			m.Changed = append(m.Changed, v)
		}
	}
	for _, sec := range cmp.Sections {
		m.Sections = append(m.Sections, views.SectionRiskView{Title: sec.Title,
			BeforeH: sec.Before.High, BeforeM: sec.Before.Medium, BeforeL: sec.Before.Low, AfterH: sec.After.High, AfterM: sec.After.Medium, AfterL: sec.After.Low})
	}
	conv := func(fs []models.StateFinding) []views.FindingRow {
		var out []views.FindingRow
		for _, f := range fs {
			out = append(out, views.FindingRow{ID: f.ID, Title: f.Title, Risk: f.Risk, Status: f.Status, Carried: f.CarriedOver})
		}
		return out
	}
	m.NewFindings, m.ClosedFindings, m.CarriedFindings = conv(cmp.NewFindings), conv(cmp.ClosedFindings), conv(cmp.CarriedFindings)
	m.ClosedActions = h.actionRows(cmp.ClosedActions)
	return h.Render(c, http.StatusOK, views.ComparePage(h.Page(c, "Compare reviews of "+comp.Name, "reviews"), m))
}

func (h Components) compareSide(c echo.Context, st *models.ReviewState) views.CompareSide {
	side := views.CompareSide{ID: st.ReviewID, Title: st.Title, Status: st.Status, Template: fmt.Sprintf("%s v%d", st.TemplateName, st.TemplateNumber),
		Readiness: strconv.FormatFloat(st.Score.Readiness, 'f', 1, 64), Answered: st.Score.Answered, Total: st.Score.Total, FromSnapshot: st.FromSnapshot}
	if st.CompletedAt != nil {
		side.Date = "completed " + h.fmtDay(c, st.CompletedAt)
	} else if st.StartedAt != nil {
		side.Date = "started " + h.fmtDay(c, st.StartedAt)
	}
	return side
}
