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

// incidentFilter reads the list filters shared by the page, the CSV
// export and the API (models.IncidentFilters); days are taken in loc. A
// bad value is a *models.ValidationError naming the parameter, with the
// filter of the good ones.
func (s *Server) incidentFilter(c echo.Context, q url.Values, loc *time.Location) (models.IncidentFilter, error) {
	res, err := s.kit.ResolveFilter(c, models.IncidentFilters, q)
	if res == nil {
		return models.IncidentFilter{}, err
	}
	return models.IncidentFilterOf(res, loc), err
}

// incidentsIndex is the incident list: filters, sort, pages.
func (s *Server) incidentsIndex(c echo.Context) error {
	ctx := c.Request().Context()
	q := c.QueryParams()
	loc := s.viewerLoc(c)
	f, ferr := s.incidentFilter(c, q, loc)
	form := views.FormFrom(q)
	status := http.StatusOK
	if ve, ok := models.AsValidation(ferr); ok {
		form = form.WithErrors(ve.Fields, nil)
		status = http.StatusUnprocessableEntity
	} else if ferr != nil {
		return ferr
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
	for _, k := range models.IncidentFilters.Keys() {
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
	f, err := s.incidentFilter(c, c.QueryParams(), loc)
	if err != nil {
		return err
	}
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	res.Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="incidents-%s.csv"`, s.now().UTC().Format("20060102-1504")))
	res.WriteHeader(http.StatusOK)
	w := csv.NewWriter(res)
	if err := w.Write(models.IncidentCSVHeader()); err != nil {
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
