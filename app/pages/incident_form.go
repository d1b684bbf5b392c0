package pages

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// localTimeLayouts are what datetime-local inputs and people type.
var localTimeLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02 15:04:05"}

// parseLocalTime reads a time typed in loc; RFC 3339 with an offset is
// taken as it is.
func parseLocalTime(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	for _, l := range localTimeLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// optionalID reads a select's ID value ("" is none).
func optionalID(form url.Values, name string, v *models.ValidationError) *int64 {
	raw := strings.TrimSpace(form.Get(name))
	if raw == "" {
		return nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		v.Add(name, "Choose an entry from the list.")
		return nil
	}
	return &id
}

// splitTags reads a comma-separated tag list.
func splitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

var formLinkKinds = []string{"pager", "chat", "ticket"}

// incidentInputFromForm reads the incident form. Values that cannot be
// parsed become field errors in v; the rest of the rules are the model's.
func (h Incidents) incidentInputFromForm(c echo.Context, form url.Values, current *models.Incident) (models.IncidentInput, *models.ValidationError) {
	loc := h.viewerLoc(c)
	v := &models.ValidationError{}
	in := models.IncidentInput{}
	if current != nil {
		in = models.InputOf(current)
	}
	in.Title = form.Get("title")
	in.Status = models.IncidentStatus(form.Get("status"))
	in.SeverityID = optionalID(form, "severity", v)
	in.TeamID = optionalID(form, "team", v)
	in.CommanderID = optionalID(form, "commander", v)
	in.ScribeID = optionalID(form, "scribe", v)
	in.CommsLeadID = optionalID(form, "comms_lead", v)
	times := map[string]**time.Time{
		"started_at": &in.StartedAt, "detected_at": &in.DetectedAt, "acknowledged_at": &in.AcknowledgedAt,
		"mitigated_at": &in.MitigatedAt, "resolved_at": &in.ResolvedAt,
	}
	for name, dst := range times {
		raw := strings.TrimSpace(form.Get(name))
		if raw == "" {
			*dst = nil
			continue
		}
		t, ok := parseLocalTime(raw, loc)
		if !ok {
			v.Add(name, "Enter a date and time, like 2026-03-01 14:05.")
			*dst = nil
			continue
		}
		*dst = &t
	}
	in.ComponentIDs = nil
	for _, raw := range form["components"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			v.Add("components", "Choose components from the list.")
			continue
		}
		in.ComponentIDs = append(in.ComponentIDs, id)
	}
	in.Tags = splitTags(form.Get("tags"))
	in.Impact, in.Summary = form.Get("impact"), form.Get("summary")
	// The form edits the first link of each common kind and keeps the others.
	var links []models.Link
	seen := map[string]bool{}
	for _, l := range in.Links {
		if contains(formLinkKinds, l.Kind) && !seen[l.Kind] {
			seen[l.Kind] = true
			continue
		}
		links = append(links, l)
	}
	for _, kind := range formLinkKinds {
		if u := strings.TrimSpace(form.Get("link_" + kind)); u != "" {
			links = append(links, models.Link{Kind: kind, URL: u})
		}
	}
	in.Links = links
	return in, v
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// incidentForm fills the form from a stored incident.
func (h Incidents) incidentForm(c echo.Context, inc *models.Incident) views.Form {
	loc := h.viewerLoc(c)
	f := views.NewForm()
	id := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	f.Set("title", inc.Title).Set("status", string(inc.Status)).Set("severity", id(inc.SeverityID)).
		Set("team", id(inc.TeamID)).Set("commander", id(inc.CommanderID)).Set("scribe", id(inc.ScribeID)).
		Set("comms_lead", id(inc.CommsLeadID)).Set("started_at", views.InputTime(&inc.StartedAt, loc)).
		Set("detected_at", views.InputTime(inc.DetectedAt, loc)).Set("acknowledged_at", views.InputTime(inc.AcknowledgedAt, loc)).
		Set("mitigated_at", views.InputTime(inc.MitigatedAt, loc)).Set("resolved_at", views.InputTime(inc.ResolvedAt, loc)).
		Set("tags", strings.Join(inc.TagNames(), ", ")).Set("impact", inc.Impact).Set("summary", inc.Summary).
		Set("version", strconv.Itoa(inc.Version))
	for _, l := range inc.Links {
		if contains(formLinkKinds, l.Kind) && f.Get("link_"+l.Kind) == "" {
			f.Set("link_"+l.Kind, l.URL)
		}
	}
	for _, comp := range inc.Components {
		f.Multi["components"] = append(f.Multi["components"], strconv.FormatInt(comp.ID, 10))
	}
	return f
}
