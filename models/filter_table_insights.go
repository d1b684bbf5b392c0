package models

// InsightFilters are the parameters every insight page and endpoint
// shares: the incident list's team, component, severity, tag, from and
// to (days in the zone tz), and tz, an IANA zone name (default: the
// instance's zone). Page-specific ones (interval, weekdays_only, metric,
// date) are read by their handlers; insights.ScopeOf maps the rest.
var InsightFilters = &FilterTable{Name: "insights", Params: []FilterParam{
	*IncidentFilters.Param("team"),
	*IncidentFilters.Param("component"),
	*IncidentFilters.Param("severity"),
	*IncidentFilters.Param("tag"),
	*IncidentFilters.Param("from"),
	*IncidentFilters.Param("to"),
	{Key: "tz", Kind: FilterZone, Label: "Time zone"},
}}
