package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/insights"
)

// Insight endpoint for the components: most incidents, most customer
// impact, repeat incidents and overdue reviews.

type componentStatJSON struct {
	Slug            string     `json:"slug"`
	Name            string     `json:"name"`
	Team            string     `json:"team"`
	Tier            int        `json:"tier"`
	Incidents       int        `json:"incidents"`
	ImpactSeconds   float64    `json:"impact_seconds"`
	ImpactIncidents int        `json:"impact_incidents"`
	RepeatIncidents int        `json:"repeat_incidents"`
	LastStartedAt   *time.Time `json:"last_started_at"`
}

type overdueJSON struct {
	componentStatJSON
	ReviewState   string  `json:"review_state"`
	ReviewLabel   string  `json:"review_label"`
	NextReviewDue *string `json:"next_review_due"`
}

type componentsJSON struct {
	Timezone         string              `json:"timezone"`
	TotalIncidents   int                 `json:"total_incidents"`
	ImpactDefinition string              `json:"impact_definition"`
	RepeatWindowDays int                 `json:"repeat_window_days"`
	ByCount          []componentStatJSON `json:"by_count"`
	ByImpact         []componentStatJSON `json:"by_impact"`
	Repeats          []componentStatJSON `json:"repeats"`
	OverdueReviews   []overdueJSON       `json:"overdue_reviews"`
}

func toComponentStatJSON(st insights.ComponentIncidentStats) componentStatJSON {
	out := componentStatJSON{Slug: st.Component.Slug, Name: st.Component.Name, Tier: st.Component.Tier, Incidents: st.Incidents,
		ImpactSeconds: round(st.ImpactSeconds, 3), ImpactIncidents: st.ImpactIncidents, RepeatIncidents: st.Repeats, LastStartedAt: utcPtr(st.LastStarted)}
	if st.Component.Team != nil {
		out.Team = st.Component.Team.Slug
	}
	return out
}

func toComponentsJSON(ci *insights.Components) componentsJSON {
	out := componentsJSON{
		Timezone: ci.Zone, TotalIncidents: ci.Total, ImpactDefinition: insights.ImpactDefinition,
		RepeatWindowDays: int(insights.RepeatWindow.Hours() / 24), ByCount: []componentStatJSON{},
		ByImpact: []componentStatJSON{}, Repeats: []componentStatJSON{}, OverdueReviews: []overdueJSON{},
	}
	for _, st := range ci.ByCount {
		out.ByCount = append(out.ByCount, toComponentStatJSON(st))
	}
	for _, st := range ci.ByImpact {
		out.ByImpact = append(out.ByImpact, toComponentStatJSON(st))
	}
	for _, st := range ci.Repeats {
		out.Repeats = append(out.Repeats, toComponentStatJSON(st))
	}
	for _, o := range ci.Overdue {
		oj := overdueJSON{componentStatJSON: toComponentStatJSON(o.ComponentIncidentStats), ReviewState: o.State.Kind, ReviewLabel: o.State.Label}
		if d := o.Component.NextReviewDue; d != nil {
			s := d.String()
			oj.NextReviewDue = &s
		}
		out.OverdueReviews = append(out.OverdueReviews, oj)
	}
	return out
}

func (h Insights) Components(c echo.Context) error {
	sc, err := h.InsightScope(c)
	if err != nil {
		return err
	}
	ci, err := insights.IncidentComponents(c.Request().Context(), h.DB, sc, models.Today(h.Now(), h.Location), web.ComponentLimit)
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusOK, toComponentsJSON(ci))
}
