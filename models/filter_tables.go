package models

// The filter tables of the features (filter_table_<feature>.go), and the
// function of each that maps resolved values into its query (beside its
// table; ActionQueryOf in filter_action_query.go, insights.ScopeOf in
// models/insights). Every parameter is optional.

// nothing is an id no row has: a filter naming something unknown matches
// no row instead of every row.
const nothing = -1

func labelled(values []string, label func(string) string) []FilterChoice {
	out := make([]FilterChoice, 0, len(values))
	for _, v := range values {
		out = append(out, FilterChoice{v, label(v)})
	}
	return out
}

func plain(values ...string) []FilterChoice {
	return labelled(values, func(s string) string { return s })
}
