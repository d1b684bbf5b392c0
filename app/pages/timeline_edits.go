package pages

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func (h Timeline) loadEvent(c echo.Context) (*models.Incident, *models.TimelineEvent, error) {
	inc, err := h.loadIncident(c)
	if err != nil {
		return nil, nil, err
	}
	id, err := web.PathID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	e, err := models.GetTimelineEvent(c.Request().Context(), h.DB, inc.ID, id)
	return inc, e, err
}

func (h Timeline) eventForm(c echo.Context, e *models.TimelineEvent) views.Form {
	return views.NewForm().Set("occurred_at", views.InputTime(&e.OccurredAt, h.viewerLoc(c))).Set("kind", e.Kind).
		Set("text", e.Text).Set("milestone", e.Milestone).Set("version", strconv.Itoa(e.Version))
}

// timelineEdit shows an event's inline edit form.
func (h Timeline) Edit(c echo.Context) error {
	inc, e, err := h.loadEvent(c)
	if err != nil {
		return err
	}
	m, err := h.timelineModel(c, inc, views.NewForm())
	if err != nil {
		return err
	}
	m.EditID, m.EditForm = e.ID, h.eventForm(c, e)
	if web.IsHTMX(c) {
		return h.fragment(c, http.StatusOK, views.Timeline(m))
	}
	return h.renderIncidentPage(c, http.StatusOK, inc, m)
}

func (h Timeline) Update(c echo.Context) error {
	inc, e, err := h.loadEvent(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	in, perr := h.timelineInput(c, form)
	version, _ := strconv.Atoi(form.Get("version"))
	if err = validationOf(&in, perr); err == nil {
		_, err = models.UpdateTimelineEvent(c.Request().Context(), h.DB, web.Actor(c), inc.ID, e.ID, version, in)
	}
	again := func(status int, f views.Form) error {
		m, merr := h.timelineModel(c, inc, views.NewForm())
		if merr != nil {
			return merr
		}
		m.EditID, m.EditForm = e.ID, f
		return h.renderTimeline(c, status, m)
	}
	if ve, ok := models.AsValidation(err); ok {
		return again(http.StatusUnprocessableEntity, views.FormFrom(form).WithErrors(ve.Fields, ve.Global))
	}
	if ce, ok := models.AsConflict(err); ok {
		cur := ce.Current.(*models.TimelineEvent)
		f := views.FormFrom(form).Set("version", strconv.Itoa(cur.Version))
		return again(http.StatusConflict, f.WithErrors(nil, []string{fmt.Sprintf(
			"Someone else changed this event while you edited it; it now reads “%s” at %s. Save again to keep your version.",
			clipText(cur.Text, 140), views.FormatDateTime(cur.OccurredAt, h.viewerLoc(c)))}))
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

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func (h Timeline) Delete(c echo.Context) error {
	inc, e, err := h.loadEvent(c)
	if err != nil {
		return err
	}
	if err := models.DeleteTimelineEvent(c.Request().Context(), h.DB, web.Actor(c), inc.ID, e.ID); err != nil {
		return err
	}
	m, err := h.timelineModel(c, inc, views.NewForm())
	if err != nil {
		return err
	}
	return h.renderTimeline(c, http.StatusOK, m)
}
