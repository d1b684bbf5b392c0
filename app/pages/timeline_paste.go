package pages

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

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
