package pages

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

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

// timelinePaste parses a pasted chat log and shows the events it found,
// editable, before anything is stored ("back" returns to the paste).
func (h Timeline) Paste(c echo.Context) error {
	inc, err := h.loadIncident(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	m, err := h.timelineModel(c, inc, views.NewForm())
	if err != nil {
		return err
	}
	loc := h.viewerLoc(c)
	pf := views.FormFrom(form)
	if k := form.Get("default_kind"); k != "" {
		pf.Set("kind", k)
	}
	m.Paste.Form, m.Paste.Open = pf, true
	if form.Get("back") != "" {
		return h.renderTimeline(c, http.StatusOK, m)
	}
	v := &models.ValidationError{}
	base, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(form.Get("base_date")), loc)
	if err != nil {
		v.Add("base_date", "Enter the date of the lines that have only a time, like 2026-03-01.")
	}
	log := form.Get("log")
	switch {
	case strings.TrimSpace(log) == "":
		v.Add("log", "Paste the chat log here.")
	case len(log) > models.MaxChatLogBytes:
		v.Add("log", "That is more than 512 KiB; paste it in parts.")
	}
	if !contains(models.TimelineKinds(), pf.Get("kind")) {
		v.Add("kind", "Choose a kind.")
	}
	if v.Err() != nil {
		m.Paste.Form = pf.WithErrors(v.Fields, v.Global)
		return h.renderTimeline(c, http.StatusUnprocessableEntity, m)
	}
	parsed := models.ParseChatLog(log, base, loc)
	m.Paste.Previewed, m.Paste.Skipped = true, pasteSkips(parsed.Skipped)
	for i, e := range parsed.Events {
		at := e.At
		m.Paste.Rows = append(m.Paste.Rows, views.PasteRow{
			Index: i, At: views.InputTime(&at, loc), Kind: pf.Get("kind"), Text: e.Text, Include: true,
		})
	}
	return h.renderTimeline(c, http.StatusOK, m)
}

// timelinePasteSave stores the ticked events of a paste preview, all or
// none.
func (h Timeline) PasteSave(c echo.Context) error {
	inc, err := h.loadIncident(c)
	if err != nil {
		return err
	}
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	loc := h.viewerLoc(c)
	count, _ := strconv.Atoi(form.Get("count"))
	if count < 0 || count > models.MaxChatLogEvents {
		return echo.NewHTTPError(http.StatusBadRequest, "too many events")
	}
	var rows []views.PasteRow
	var ins []models.TimelineInput
	var rowOf []int
	for i := 0; i < count; i++ {
		get := func(f string) string { return form.Get(fmt.Sprintf("ev.%d.%s", i, f)) }
		r := views.PasteRow{Index: i, At: get("occurred_at"), Kind: get("kind"), Text: get("text"), Include: get("include") != "", Errors: map[string]string{}}
		rows = append(rows, r)
		if !r.Include {
			continue
		}
		in := models.TimelineInput{Kind: r.Kind, Text: r.Text, Source: "paste"}
		if t, ok := parseLocalTime(r.At, loc); ok {
			in.OccurredAt = &t
		} else {
			rows[i].Errors["occurred_at"] = "Enter a date and time."
		}
		ins = append(ins, in)
		rowOf = append(rowOf, i)
	}
	bad := false
	for _, r := range rows {
		bad = bad || len(r.Errors) > 0
	}
	v := &models.ValidationError{}
	switch {
	case len(ins) == 0:
		v.AddGlobal("Tick at least one event to add.")
	case bad:
		v.AddGlobal("Some events need attention.")
	default:
		_, err = models.AddTimelineEvents(c.Request().Context(), h.DB, web.Actor(c), inc.ID, ins)
		if ve, ok := models.AsValidation(err); ok {
			v.AddGlobal("Nothing was added: some events need attention.")
			for k, msg := range ve.Fields {
				var i int
				var field string
				if _, serr := fmt.Sscanf(strings.Replace(k, ".", " ", 2), "events %d %s", &i, &field); serr == nil && i < len(rowOf) {
					rows[rowOf[i]].Errors[field] = msg
				} else {
					rows[rowOf[0]].Errors[k] = msg
				}
			}
		} else if err != nil {
			return err
		}
	}
	m, merr := h.timelineModel(c, inc, views.NewForm())
	if merr != nil {
		return merr
	}
	if v.Err() != nil {
		pf := views.NewForm().Set("log", form.Get("log")).Set("base_date", form.Get("base_date")).Set("kind", form.Get("default_kind"))
		m.Paste = views.PasteModel{Form: pf.WithErrors(nil, v.Global), Rows: rows, Previewed: true, Open: true}
		return h.renderTimeline(c, http.StatusUnprocessableEntity, m)
	}
	return h.renderTimeline(c, http.StatusOK, m)
}
