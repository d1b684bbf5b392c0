package pages

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Findings serves the findings of reviews: recording, editing and their status.
type Findings struct{ base }

func findingRow(today models.Date, f *models.Finding, carried bool) views.FindingRow {
	r := views.FindingRow{ID: f.ID, Title: f.Title, Risk: f.Risk, Status: f.Status, Expired: f.Expired(today),
		AcceptedTo: datePtrString(f.AcceptedUntil), ReviewID: f.ReviewID, Carried: carried, QuestionKey: f.QuestionKey}
	if f.Approver != nil {
		r.Approver = f.Approver.Name
	}
	return r
}

func questionOptions(tv *models.TemplateVersion) []views.Option {
	var out []views.Option
	for _, sec := range tv.Sections {
		for _, q := range sec.Questions {
			label := q.Prompt
			if len([]rune(label)) > 90 {
				label = string([]rune(label)[:89]) + "…"
			}
			out = append(out, views.Option{Value: q.Key, Label: sec.Title + ": " + label})
		}
	}
	return out
}

// findingNew prefills a finding from an answer when ?question= is given.
func (h Findings) New(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	f := views.NewForm().Set("risk", models.RiskMedium)
	if key := c.QueryParam("question"); key != "" {
		if _, _, q, ok := r.Question(key); ok {
			a, err := models.GetAnswer(c.Request().Context(), h.DB, r.ID, key)
			if err != nil {
				return err
			}
			f.Set("question_key", key).Set("risk", q.Risk).Set("title", q.Prompt)
			desc := ""
			if a.State != "" {
				desc = "Answered **" + models.AnswerStateLabel(a.State) + "** in " + r.Title + "."
			}
			if a.Notes != "" {
				desc += "\n\n" + a.Notes
			}
			for _, e := range a.Evidence {
				desc += "\n- " + e
			}
			f.Set("description", desc)
		}
	}
	return h.Render(c, http.StatusOK, views.FindingFormPage(h.Page(c, "Record a finding", "reviews"),
		views.FindingFormModel{ReviewHeader: h.reviewHeader(c, r), Form: f, Questions: questionOptions(r.TemplateVersion)}))
}

func (h Findings) Create(c echo.Context) error {
	r, err := h.reviewParam(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	fd, err := models.CreateFinding(c.Request().Context(), h.DB, web.Actor(c), r.ID, models.FindingInput{
		Title: form.Get("title"), Description: form.Get("description"), Risk: form.Get("risk"), QuestionKey: form.Get("question_key"),
	})
	if status, f, ok := web.FormRefusal(err, views.FormFrom(form)); ok {
		return h.Render(c, status, views.FindingFormPage(h.Page(c, "Record a finding", "reviews"),
			views.FindingFormModel{ReviewHeader: h.reviewHeader(c, r), Form: f, Questions: questionOptions(r.TemplateVersion)}))
	}
	if err != nil {
		return err
	}
	h.Flash(c, "ok", "Finding recorded. Add an action item for it below.")
	return h.Redirect(c, h.Path("findings.show", fd.ID))
}

func (h Findings) findingParam(c echo.Context) (*models.Finding, error) {
	id, err := web.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	return models.GetFinding(c.Request().Context(), h.DB, id)
}

func (h Findings) findingPage(c echo.Context, fd *models.Finding, statusForm views.Form, actionForm views.Form, status int) error {
	ctx := c.Request().Context()
	m := views.FindingPageModel{FindingRow: findingRow(h.Today(), fd, false), DescriptionMD: fd.Description, Rationale: fd.AcceptanceRationale,
		ComponentName: fd.Component.Name, ComponentSlug: fd.Component.Slug, ReviewTitle: fd.Review.Title, Created: h.fmtTime(c, fd.CreatedAt),
		Version: fd.Version, CanEdit: !fd.Review.Closed() && h.Can(c, "findings.update"), CanChange: h.Can(c, "findings.status"), StatusForm: statusForm}
	if fd.Creator != nil {
		m.Creator = fd.Creator.Name
	}
	origin, err := models.GetReview(ctx, h.DB, fd.ReviewID)
	if err != nil {
		return err
	}
	if _, _, q, ok := origin.Question(fd.QuestionKey); ok {
		m.QuestionPrompt = q.Prompt
	}
	reviews, err := models.ReviewsOfFinding(ctx, h.DB, fd.ID)
	if err != nil {
		return err
	}
	m.Reviews = h.reviewRows(c, reviews)
	items, err := models.ListActionItems(ctx, h.DB, models.ActionItemFilter{FindingID: fd.ID})
	if err != nil {
		return err
	}
	m.Actions = h.actionRows(items)
	if m.Approvers, err = h.userOptions(ctx, models.RoleFacilitator); err != nil {
		return err
	}
	src := actionSource{hidden: map[string]string{"finding": strconv.FormatInt(fd.ID, 10), "next": h.Path("findings.show", fd.ID)}}
	if m.ActionForm, err = h.actionFormModel(c, actionForm, src); err != nil {
		return err
	}
	return h.Render(c, status, views.FindingPage(h.Page(c, fd.Title, "reviews"), m))
}

func (h Findings) findingActionForm(c echo.Context, fd *models.Finding) views.Form {
	f := views.NewForm().Set("title", "Fix: "+fd.Title).Set("owner", web.CurrentUser(c).Email).Set("priority", models.PriorityMedium)
	switch fd.Risk {
	case "critical", models.RiskHigh:
		f.Set("priority", models.PriorityHigh)
	case models.RiskLow:
		f.Set("priority", models.PriorityLow)
	}
	if fd.Component.TeamID != nil {
		if t, err := models.GetTeam(c.Request().Context(), h.DB, *fd.Component.TeamID); err == nil {
			f.Set("team", t.Slug)
		}
	}
	return f
}

func (h Findings) Show(c echo.Context) error {
	fd, err := h.findingParam(c)
	if err != nil {
		return err
	}
	sf := views.NewForm().Set("status", fd.Status)
	if fd.Approver != nil {
		sf.Set("approver", fd.Approver.Email).Set("rationale", fd.AcceptanceRationale).Set("accepted_until", datePtrString(fd.AcceptedUntil))
	}
	return h.findingPage(c, fd, sf, h.findingActionForm(c, fd), http.StatusOK)
}

func (h Findings) Status(c echo.Context) error {
	fd, err := h.findingParam(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	_, err = models.ChangeFindingStatus(c.Request().Context(), h.DB, web.Actor(c), fd.ID, web.AtoiOr(form.Get("version"), 0), models.FindingStatusInput{
		Status: form.Get("status"), Approver: form.Get("approver"), Rationale: form.Get("rationale"), AcceptedUntil: form.Get("accepted_until"), Today: h.Today(),
	})
	var ce *models.ConflictError
	switch {
	case err == nil:
		h.Flash(c, "ok", "Finding updated.")
	case errors.As(err, &ce):
		h.Flash(c, "warn", "Someone else changed this finding just now; here it is as it stands.")
	case errors.Is(err, models.ErrInvalidState):
		h.Flash(c, "warn", web.Message(err))
	default:
		ve, ok := models.AsValidation(err)
		if !ok {
			return err
		}
		return h.findingPage(c, fd, views.FormFrom(form).WithErrors(ve.Fields, ve.Global), h.findingActionForm(c, fd), http.StatusUnprocessableEntity)
	}
	return h.Redirect(c, h.Path("findings.show", fd.ID))
}

func (h Findings) Edit(c echo.Context) error {
	fd, err := h.findingParam(c)
	if err != nil {
		return err
	}
	r, err := models.GetReview(c.Request().Context(), h.DB, fd.ReviewID)
	if err != nil {
		return err
	}
	f := views.NewForm().Set("title", fd.Title).Set("description", fd.Description).Set("risk", fd.Risk).Set("version", strconv.Itoa(fd.Version))
	return h.Render(c, http.StatusOK, views.FindingFormPage(h.Page(c, "Edit finding", "reviews"),
		views.FindingFormModel{ReviewHeader: h.reviewHeader(c, r), Form: f, Editing: true, ID: fd.ID}))
}

func (h Findings) Update(c echo.Context) error {
	fd, err := h.findingParam(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	f := views.FormFrom(form)
	_, err = models.UpdateFinding(c.Request().Context(), h.DB, web.Actor(c), fd.ID, web.AtoiOr(form.Get("version"), 0), models.FindingInput{
		Title: form.Get("title"), Description: form.Get("description"), Risk: form.Get("risk"),
	})
	if err == nil {
		h.Flash(c, "ok", "Finding saved.")
		return h.Redirect(c, h.Path("findings.show", fd.ID))
	}
	status := http.StatusConflict
	var ce *models.ConflictError
	if errors.As(err, &ce) {
		f.Set("version", strconv.Itoa(ce.Current.(*models.Finding).Version))
		f = f.WithErrors(nil, []string{"Someone else changed this finding meanwhile. Your text is below; save again to apply it."})
	} else {
		var refused bool
		if status, f, refused = web.FormRefusal(err, f); !refused {
			return err
		}
	}
	r, err := models.GetReview(c.Request().Context(), h.DB, fd.ReviewID)
	if err != nil {
		return err
	}
	return h.Render(c, status, views.FindingFormPage(h.Page(c, "Edit finding", "reviews"),
		views.FindingFormModel{ReviewHeader: h.reviewHeader(c, r), Form: f, Editing: true, ID: fd.ID}))
}
