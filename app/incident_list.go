package app

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

const incidentsPerPage = 50

// parseIncidentFilter reads the list filters shared by the page, the CSV
// export and the API: status, severity (names), component and team
// (slugs), tag (each repeatable), from and to (dates in loc, or RFC 3339),
// q and sort. Unknown slugs and names match nothing.
func (s *Server) parseIncidentFilter(c echo.Context, q url.Values, loc *time.Location) (models.IncidentFilter, error) {
	ctx := c.Request().Context()
	v := &models.ValidationError{}
	f := models.IncidentFilter{Query: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort")}
	for _, st := range nonEmpty(q["status"]) {
		if st != "open" && !models.IncidentStatus(st).Valid() {
			v.Add("status", "Status is one of open, investigating, identified, monitoring, resolved, closed.")
			continue
		}
		f.Statuses = append(f.Statuses, st)
	}
	for _, name := range nonEmpty(q["severity"]) {
		sev, err := models.GetSeverityByName(ctx, s.db, name)
		if err != nil {
			f.SeverityIDs = append(f.SeverityIDs, -1)
			continue
		}
		f.SeverityIDs = append(f.SeverityIDs, sev.ID)
	}
	for _, slug := range nonEmpty(q["component"]) {
		comp, err := models.GetComponentBySlug(ctx, s.db, slug)
		if err != nil {
			f.ComponentIDs = append(f.ComponentIDs, -1)
			continue
		}
		f.ComponentIDs = append(f.ComponentIDs, comp.ID)
	}
	for _, slug := range nonEmpty(q["team"]) {
		team, err := models.GetTeamBySlug(ctx, s.db, slug)
		if err != nil {
			f.TeamIDs = append(f.TeamIDs, -1)
			continue
		}
		f.TeamIDs = append(f.TeamIDs, team.ID)
	}
	f.Tags = nonEmpty(q["tag"])
	for _, b := range []struct {
		name string
		dst  **time.Time
		end  bool
	}{{"from", &f.From, false}, {"to", &f.To, true}} {
		raw := strings.TrimSpace(q.Get(b.name))
		if raw == "" {
			continue
		}
		if t, err := time.Parse(time.RFC3339, raw); err == nil {
			*b.dst = &t
			continue
		}
		d, err := time.ParseInLocation("2006-01-02", raw, loc)
		if err != nil {
			v.Add(b.name, "Enter a date like 2026-03-01.")
			continue
		}
		if b.end {
			d = d.AddDate(0, 0, 1) // "to" includes the whole day
		}
		*b.dst = &d
	}
	if f.Sort != "" && !validSort(f.Sort) {
		v.Add("sort", "Sort by newest, oldest, severity, key or updated.")
	}
	return f, v.Err()
}

func validSort(s string) bool {
	for _, o := range models.IncidentSorts {
		if o.Value == s {
			return true
		}
	}
	return false
}

func nonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		for _, part := range strings.Split(v, ",") {
			if p := strings.TrimSpace(part); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// incidentsIndex is the incident list: filters, sort, pages.
func (s *Server) incidentsIndex(c echo.Context) error {
	ctx := c.Request().Context()
	q := c.QueryParams()
	loc := s.viewerLoc(c)
	f, ferr := s.parseIncidentFilter(c, q, loc)
	form := views.FormFrom(q)
	status := http.StatusOK
	if ve, ok := models.AsValidation(ferr); ok {
		form = form.WithErrors(ve.Fields, nil)
		status = http.StatusUnprocessableEntity
	}
	page, _ := strconv.Atoi(q.Get("page"))
	if page < 1 {
		page = 1
	}
	total, err := models.CountIncidents(ctx, s.db, f)
	if err != nil {
		return err
	}
	list, err := models.ListIncidents(ctx, s.db, f, (page-1)*incidentsPerPage, incidentsPerPage)
	if err != nil {
		return err
	}
	choices, err := models.LoadIncidentChoices(ctx, s.db)
	if err != nil {
		return err
	}
	tags, err := models.IncidentTagNames(ctx, s.db, 300)
	if err != nil {
		return err
	}
	u := currentUser(c)
	m := views.IncidentListModel{
		Incidents: incidentRows(list), Total: total, Page: page, PerPage: incidentsPerPage, Filters: form,
		Choices: incidentChoices(choices), Sorts: incidentSortOptions(), Tags: tags, Query: filterQuery(q),
		CanCreate: u.Role.Allows(models.RoleMember), IsAdmin: u.Role.Allows(models.RoleAdmin),
		Zone: views.ZoneName(loc, s.now()),
	}
	return s.render(c, status, views.IncidentList(s.page(c, "Incidents", "incidents"), m))
}

// filterQuery is the query string of the filters alone (no page), for
// page links and the export link.
func filterQuery(q url.Values) string {
	out := url.Values{}
	for _, k := range []string{"status", "severity", "component", "team", "tag", "from", "to", "q", "sort"} {
		for _, v := range q[k] {
			if strings.TrimSpace(v) != "" {
				out.Add(k, v)
			}
		}
	}
	return out.Encode()
}

// incidentsExport streams the filtered list as CSV, newest first, in
// batches so 100,000 rows never sit in memory.
func (s *Server) incidentsExport(c echo.Context) error {
	loc := s.viewerLoc(c)
	f, err := s.parseIncidentFilter(c, c.QueryParams(), loc)
	if err != nil {
		return err
	}
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	res.Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="incidents-%s.csv"`, s.now().UTC().Format("20060102-1504")))
	res.WriteHeader(http.StatusOK)
	w := csv.NewWriter(res)
	if err := w.Write(models.IncidentCSVHeader); err != nil {
		return err
	}
	err = models.EachIncidentBatch(c.Request().Context(), s.db, f, 1000, func(list []models.Incident) error {
		for i := range list {
			if err := w.Write(models.IncidentCSVRecord(&list[i])); err != nil {
				return err
			}
		}
		w.Flush()
		return w.Error()
	})
	if err != nil {
		// The header is out; all we can do is stop and log.
		s.log.ErrorContext(c.Request().Context(), "incident export failed", "err", err, "request_id", requestID(c))
		return nil
	}
	w.Flush()
	return w.Error()
}
