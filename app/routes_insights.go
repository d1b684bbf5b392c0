package app

import (
	"net/http"

	"github.com/debrief-sre/debrief/app/pages"
)

// insightRoutes are the insight pages and their CSV downloads.
func insightRoutes(p *pages.Handlers) []route {
	return []route{
		// Insights
		{Name: "insights.index", Method: http.MethodGet, Path: "/insights", Handler: p.Insights.Index, Access: viewer},
		{Name: "insights.over_time", Method: http.MethodGet, Path: "/insights/over-time", Handler: p.Insights.OverTime, Access: viewer},
		{Name: "insights.over_time.csv", Method: http.MethodGet, Path: "/insights/over-time.csv", Handler: p.Insights.OverTimeCSV, Access: viewer},
		{Name: "insights.weekdays", Method: http.MethodGet, Path: "/insights/weekdays", Handler: p.Insights.Weekdays, Access: viewer},
		{Name: "insights.weekdays.csv", Method: http.MethodGet, Path: "/insights/weekdays.csv", Handler: p.Insights.WeekdaysCSV, Access: viewer},
		{Name: "insights.heatmap", Method: http.MethodGet, Path: "/insights/heatmap", Handler: p.Insights.Heatmap, Access: viewer},
		{Name: "insights.heatmap.csv", Method: http.MethodGet, Path: "/insights/heatmap.csv", Handler: p.Insights.HeatmapCSV, Access: viewer},
		{Name: "insights.durations", Method: http.MethodGet, Path: "/insights/durations", Handler: p.Insights.Durations, Access: viewer},
		{Name: "insights.durations.csv", Method: http.MethodGet, Path: "/insights/durations.csv", Handler: p.Insights.DurationsCSV, Access: viewer},
		{Name: "insights.components", Method: http.MethodGet, Path: "/insights/components", Handler: p.Insights.Components, Access: viewer},
		{Name: "insights.components.csv", Method: http.MethodGet, Path: "/insights/components.csv", Handler: p.Insights.ComponentsCSV, Access: viewer},
		{Name: "insights.history", Method: http.MethodGet, Path: "/insights/today", Handler: p.Insights.History, Access: viewer},
		{Name: "insights.follow_through", Method: http.MethodGet, Path: "/insights/follow-through", Handler: p.Insights.FollowThrough, Access: viewer},
		{Name: "insights.history.csv", Method: http.MethodGet, Path: "/insights/today.csv", Handler: p.Insights.HistoryCSV, Access: viewer},
	}
}
