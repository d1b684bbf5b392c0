package pages

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Postmortems serves postmortems: the list, writing one for an incident, its sections, factors, action items, review and export.
type Postmortems struct{ base }

// Postmortems: one per incident, at /incidents/:key/postmortem. Sections
// autosave (postmortem_sections.go); this file holds the page, the list,
// export and print; creation, people, status, factors and action items
// have their own postmortem_*.go files.

// loadPostmortem finds the incident of :key and its postmortem.
func (b base) loadPostmortem(c echo.Context) (*models.Incident, *models.Postmortem, error) {
	return models.GetIncidentPostmortem(c.Request().Context(), b.DB, c.Param("key"))
}

func (h Postmortems) renderPostmortem(c echo.Context, status int, inc *models.Incident, pm *models.Postmortem, o pmOverrides) error {
	m, err := h.postmortemPage(c, inc, pm, o)
	if err != nil {
		return err
	}
	p := h.Page(c, "Postmortem "+inc.Key(), "incidents")
	p.Scripts = append(p.Scripts, "js/postmortems.js")
	return h.Render(c, status, views.PostmortemShow(p, m))
}

func (h Postmortems) Show(c echo.Context) error {
	inc, pm, err := h.loadPostmortem(c)
	if errors.Is(err, models.ErrNotFound) && inc != nil {
		if h.Can(c, "postmortems.new") {
			return h.Redirect(c, h.Path("postmortems.new", inc.Key()))
		}
		return echo.NewHTTPError(http.StatusNotFound, inc.Key()+" has no postmortem yet.")
	}
	if err != nil {
		return err
	}
	return h.renderPostmortem(c, http.StatusOK, inc, pm, pmOverrides{})
}

func (h Postmortems) Export(c echo.Context) error {
	inc, pm, err := h.loadPostmortem(c)
	if err != nil {
		return err
	}
	m, err := h.postmortemPage(c, inc, pm, pmOverrides{})
	if err != nil {
		return err
	}
	md := views.PostmortemMarkdown(m, h.viewerLoc(c), h.Now())
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-postmortem.md"`, inc.Key()))
	return c.Blob(http.StatusOK, "text/markdown; charset=utf-8", []byte(md))
}

func (h Postmortems) Print(c echo.Context) error {
	inc, pm, err := h.loadPostmortem(c)
	if err != nil {
		return err
	}
	m, err := h.postmortemPage(c, inc, pm, pmOverrides{})
	if err != nil {
		return err
	}
	p := h.Page(c, "Postmortem "+inc.Key()+" (print)", "incidents")
	p.Scripts = append(p.Scripts, "js/postmortems.js")
	return h.Render(c, http.StatusOK, views.PostmortemPrint(p, m))
}

func (h Postmortems) Index(c echo.Context) error {
	ctx := c.Request().Context()
	status := c.QueryParam("status")
	f := models.PostmortemFilter{Today: h.Today()}
	switch status {
	case "overdue":
		f.Overdue = true
	case models.PostmortemDraft, models.PostmortemInReview, models.PostmortemPublished:
		f.Status = status
	default:
		status = ""
	}
	list, err := models.ListPostmortems(ctx, h.DB, f)
	if err != nil {
		return err
	}
	counts, err := models.CountPostmortemsByStatus(ctx, h.DB)
	if err != nil {
		return err
	}
	m := views.PostmortemListPage{Statuses: postmortemStatusOptions(), Status: status, Counts: counts}
	for _, n := range counts {
		m.Total += n
	}
	for _, pm := range list {
		m.Rows = append(m.Rows, views.PostmortemRow{
			IncidentKey: pm.Incident.Key(), Title: pm.Incident.Title, Severity: severityView(pm.Incident.Severity), Status: pm.Status,
			StatusLabel: models.PostmortemStatusLabel(pm.Status), Owner: userLabel(pm.Owner), Due: datePtrString(pm.DueDate), Overdue: pm.Overdue(h.Today()), Started: pm.Incident.StartedAt,
		})
	}
	return h.Render(c, http.StatusOK, views.PostmortemList(h.Page(c, "Postmortems", "incidents"), m))
}
