package pages

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

const incidentsPerPage = 50

// incidentsIndex is the incident list: filters, sort, pages.
func (h Incidents) Index(c echo.Context) error {
	ctx := c.Request().Context()
	q := c.QueryParams()
	loc := h.viewerLoc(c)
	f, ferr := h.IncidentFilter(c, q, loc)
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
	total, err := models.CountIncidents(ctx, h.DB, f)
	if err != nil {
		return err
	}
	list, err := models.ListIncidents(ctx, h.DB, f, (page-1)*incidentsPerPage, incidentsPerPage)
	if err != nil {
		return err
	}
	choices, err := models.LoadIncidentChoices(ctx, h.DB)
	if err != nil {
		return err
	}
	tags, err := models.IncidentTagNames(ctx, h.DB, 300)
	if err != nil {
		return err
	}
	m := views.IncidentListModel{
		Incidents: incidentRows(list), Total: total, Page: page, PerPage: incidentsPerPage, Filters: form,
		Choices: incidentChoices(choices), Sorts: incidentSortOptions(), Tags: tags, Query: filterQuery(q),
		CanCreate: h.Can(c, "incidents.create"), IsAdmin: h.Can(c, "admin.severities"),
		Zone: views.ZoneName(loc, h.Now()),
	}
	return h.Render(c, status, views.IncidentList(h.Page(c, "Incidents", "incidents"), m))
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
func (h Incidents) Export(c echo.Context) error {
	loc := h.viewerLoc(c)
	f, err := h.IncidentFilter(c, c.QueryParams(), loc)
	if err != nil {
		return err
	}
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	res.Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="incidents-%s.csv"`, h.Now().UTC().Format("20060102-1504")))
	res.WriteHeader(http.StatusOK)
	w := models.NewCSVWriter(res)
	if err := w.Write(models.IncidentCSVHeader()); err != nil {
		return err
	}
	err = models.EachIncidentBatch(c.Request().Context(), h.DB, f, 1000, func(list []models.Incident) error {
		for i := range list {
			if err := w.Write(models.IncidentCSVRecord(&list[i])); err != nil {
				return err
			}
		}
		return w.Flush()
	})
	if err != nil {
		// The header is out; all we can do is stop and log.
		h.Log.ErrorContext(c.Request().Context(), "incident export failed", "err", err, "request_id", web.RequestID(c))
		return nil
	}
	return w.Flush()
}
