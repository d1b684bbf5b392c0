package pages

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Home serves the home page.
type Home struct{ base }

const homeListSize = 5

// home shows the instance at a glance: the viewer's open work, recent
// incidents, retros in progress and components due for review.
func (h Home) Show(c echo.Context) error {
	ctx := c.Request().Context()
	u := web.CurrentUser(c)
	today := h.Today()
	m := views.HomeModel{CanWrite: h.Can(c, "incidents.create")}

	mine := models.ActionQuery{
		ActionItemFilter: models.ActionItemFilter{OwnerID: u.ID, OpenOnly: true, Today: today, Limit: homeListSize},
		Sort:             "due", Now: h.Now(), Loc: h.Location,
	}
	items, err := models.FindActionItems(ctx, h.DB, mine)
	if err != nil {
		return err
	}
	for _, it := range items {
		hi := views.HomeItem{ID: it.ID, Title: it.Title, Overdue: it.Overdue(today), Source: strings.ReplaceAll(it.SourceKind, "_", " ")}
		if it.DueDate != nil {
			hi.Due = it.DueDate.String()
		}
		m.MyItems = append(m.MyItems, hi)
	}
	if m.MyOpen, err = models.CountActionItems(ctx, h.DB, models.ActionItemFilter{OwnerID: u.ID, OpenOnly: true}); err != nil {
		return err
	}
	if m.MyOverdue, err = models.CountActionItems(ctx, h.DB, models.ActionItemFilter{OwnerID: u.ID, Overdue: true, Today: today}); err != nil {
		return err
	}

	recent, err := models.ListIncidents(ctx, h.DB, models.IncidentFilter{}, 0, homeListSize)
	if err != nil {
		return err
	}
	m.RecentIncidents = incidentRows(recent)
	openIncidents, err := models.CountIncidents(ctx, h.DB, models.IncidentFilter{Statuses: []string{"open"}})
	if err != nil {
		return err
	}

	retros, err := models.ListRetros(ctx, h.DB, models.RetroFilter{Open: true, Limit: homeListSize})
	if err != nil {
		return err
	}
	for _, r := range retros {
		m.LiveRetros = append(m.LiveRetros, views.HomeRetro{ID: r.ID, Title: r.Title, Phase: models.PhaseLabel(r.Phase)})
	}

	due, err := models.ComponentsDueForReview(ctx, h.DB, today)
	if err != nil {
		return err
	}
	for i, comp := range due {
		if i == homeListSize {
			break
		}
		hc := views.HomeComponent{Slug: comp.Slug, Name: comp.Name, Tier: comp.Tier, Never: comp.NextReviewDue == nil}
		if comp.NextReviewDue != nil {
			hc.Due = comp.NextReviewDue.String()
		}
		m.DueComponents = append(m.DueComponents, hc)
	}

	counts, err := models.HomeCounts(ctx, h.DB, today)
	if err != nil {
		return err
	}
	myTone := ""
	if m.MyOverdue > 0 {
		myTone = "bad"
	}
	openTone := ""
	if openIncidents > 0 {
		openTone = "warn"
	}
	m.Stats = append(m.Stats,
		views.HomeStat{Label: "Open incidents", Value: views.Itoa(openIncidents), Hint: "not yet resolved", Tone: openTone,
			Href: h.Path("incidents.index") + "?" + url.Values{"status": {"open"}}.Encode()},
		views.HomeStat{Label: "Your open action items", Value: views.Itoa(m.MyOpen), Hint: fmt.Sprintf("%d overdue", m.MyOverdue), Tone: myTone,
			Href: h.Path("me.my_work")},
	)
	for _, hc := range counts {
		if hc.Route == "components.index" {
			continue // the catalog size matters less than what is due
		}
		m.Stats = append(m.Stats, views.HomeStat{Label: hc.Label, Value: views.Itoa(hc.Count), Hint: hc.Hint, Href: h.Path(hc.Route)})
	}
	m.Empty = len(m.RecentIncidents) == 0 && len(counts) == 0
	return h.Render(c, http.StatusOK, views.Home(h.Page(c, "Home", ""), m))
}
