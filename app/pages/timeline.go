package pages

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Timeline serves an incident's timeline: adding, editing and deleting events, and pasting a chat log.
type Timeline struct{ base }

// fragment renders a piece of a page (an htmx swap) with the viewer's
// page context, so times are in their zone and forms carry the CSRF token.
func (b base) fragment(c echo.Context, status int, comp templ.Component) error {
	b.Page(c, "", "")
	return b.Render(c, status, comp)
}

// timelineModel builds the timeline of inc for the viewer, with f as the
// add form (empty: a fresh form at the current time).
func (b base) timelineModel(c echo.Context, inc *models.Incident, f views.Form) (views.TimelineModel, error) {
	events, err := models.ListTimeline(c.Request().Context(), b.DB, inc.ID)
	if err != nil {
		return views.TimelineModel{}, err
	}
	loc := b.viewerLoc(c)
	if len(f.Values) == 0 {
		now := b.Now()
		f = views.NewForm().Set("occurred_at", views.InputTime(&now, loc)).Set("kind", "observation")
	}
	start := inc.StartedAt
	return views.TimelineModel{
		Incident: incidentView(inc), Events: timelineEvents(events), Loc: loc, Form: f,
		Kinds: timelineKinds(), Milestones: timelineMilestones(),
		CanEdit: b.Can(c, "timeline.create"),
		Paste: views.PasteModel{Form: views.NewForm().
			Set("base_date", start.In(loc).Format("2006-01-02")).Set("kind", "observation")},
	}, nil
}

// renderTimeline answers an htmx request with the timeline section (and
// the durations and timestamps out of band); a plain form post gets the
// whole incident page.
func (b base) renderTimeline(c echo.Context, status int, m views.TimelineModel) error {
	if !web.IsHTMX(c) && status < 300 {
		return b.Redirect(c, b.Path("incidents.show", m.Incident.Key)+"#timeline")
	}
	// A milestone may have changed the incident's times.
	inc, err := models.GetIncident(c.Request().Context(), b.DB, m.Incident.ID)
	if err != nil {
		return err
	}
	m.Incident = incidentView(inc)
	if web.IsHTMX(c) {
		m.OOB = true
		return b.fragment(c, status, views.Timeline(m))
	}
	return b.renderIncidentPage(c, status, inc, m)
}

// timelineIndex renders the timeline section (htmx cancel of an edit).
func (h Timeline) Index(c echo.Context) error {
	inc, err := h.loadIncident(c)
	if err != nil {
		return err
	}
	m, err := h.timelineModel(c, inc, views.NewForm())
	if err != nil {
		return err
	}
	if !web.IsHTMX(c) {
		return h.Redirect(c, h.Path("incidents.show", inc.Key())+"#timeline")
	}
	return h.fragment(c, http.StatusOK, views.Timeline(m))
}

// timelineInput reads the event form fields.
func (b base) timelineInput(c echo.Context, form url.Values) (models.TimelineInput, *models.ValidationError) {
	v := &models.ValidationError{}
	in := models.TimelineInput{Kind: form.Get("kind"), Text: form.Get("text"), Milestone: form.Get("milestone")}
	if raw := strings.TrimSpace(form.Get("occurred_at")); raw != "" {
		t, ok := parseLocalTime(raw, b.viewerLoc(c))
		if !ok {
			v.Add("occurred_at", "Enter a date and time, like 2026-03-01 14:05.")
		} else {
			in.OccurredAt = &t
		}
	}
	return in, v
}

func validationOf(in *models.TimelineInput, perr *models.ValidationError) error {
	if perr.Err() == nil {
		return nil
	}
	addValidation(perr, in.Validate())
	return perr
}

func (h Timeline) Create(c echo.Context) error {
	inc, err := h.loadIncident(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	in, perr := h.timelineInput(c, form)
	if err = validationOf(&in, perr); err == nil {
		_, err = models.AddTimelineEvents(c.Request().Context(), h.DB, web.Actor(c), inc.ID, []models.TimelineInput{in})
	}
	if ve, ok := models.AsValidation(err); ok {
		m, merr := h.timelineModel(c, inc, views.FormFrom(form).WithErrors(ve.Fields, ve.Global))
		if merr != nil {
			return merr
		}
		return h.renderTimeline(c, http.StatusUnprocessableEntity, m)
	}
	if err != nil {
		return err
	}
	m, err := h.timelineModel(c, inc, views.NewForm())
	if err != nil {
		return err
	}
	return h.renderTimeline(c, http.StatusOK, m)
}
