package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models/insights"
)

// Insight endpoint for today in incident history.

type historyIncidentJSON struct {
	Key        string    `json:"key"`
	Title      string    `json:"title"`
	StartedAt  time.Time `json:"started_at"`
	YearsAgo   int       `json:"years_ago"`
	Severity   string    `json:"severity"`
	Components []string  `json:"components"`
}

type historyJSON struct {
	Timezone  string                `json:"timezone"`
	Date      string                `json:"date"`
	Incidents []historyIncidentJSON `json:"incidents"`
}

func (h Insights) History(c echo.Context) error {
	sc, err := h.InsightScope(c)
	if err != nil {
		return err
	}
	day, err := h.InsightDate(c, sc.Location)
	if err != nil {
		return err
	}
	list, err := insights.IncidentsOnThisDay(c.Request().Context(), h.DB, sc, day, web.HistoryLimit)
	if err != nil {
		return err
	}
	out := historyJSON{Timezone: sc.ZoneName(), Date: day.String(), Incidents: []historyIncidentJSON{}}
	for _, hi := range list {
		comps := []string{}
		for _, cp := range hi.Incident.Components {
			comps = append(comps, cp.Slug)
		}
		sev := ""
		if hi.Incident.Severity != nil {
			sev = hi.Incident.Severity.Name
		}
		out.Incidents = append(out.Incidents, historyIncidentJSON{Key: hi.Incident.Key(), Title: hi.Incident.Title,
			StartedAt: hi.Incident.StartedAt.UTC(), YearsAgo: hi.YearsAgo, Severity: sev, Components: comps})
	}
	return web.WriteJSON(c, http.StatusOK, out)
}
