package models

import (
	"strconv"
	"strings"
)

// The filter layer: every list or figure page declares its query
// parameters once, in a FilterTable (filter_table_*.go), and ResolveFilter
// reads them all: it parses each value by its kind, looks up the slugs,
// emails, names, keys and ids they name with one query per kind, and
// answers the values with a message per bad parameter (the key is the
// query parameter's name). A small function per feature maps the result
// into its query struct (ActionQueryOf, FollowThroughScopeOf,
// IncidentFilterOf, insights.ScopeOf); the table's chip templates name the
// active filters (ResolvedFilter.Chips).

// FilterChoice is an allowed value with its chip label.
type FilterChoice struct {
	Value, Label string
}

// FilterParam declares one query parameter.
type FilterParam struct {
	// Key is the query parameter's name; Aliases are older names that
	// mean the same.
	Key     string
	Aliases []string
	Kind    FilterKind
	// Label says in words what the parameter filters by.
	Label string
	// Repeats: the parameter takes several values, repeated
	// (status=open&status=done) or comma-separated (status=open,done).
	Repeats bool
	// Choices are an enum's values.
	Choices []FilterChoice
	// Special are values that name no row (team "none"), with their chip
	// labels.
	Special []FilterChoice
	// Min and Max bound a number (Max 0: no upper bound).
	Min, Max int
	// Lenient: a slug, name or id that names nothing matches nothing
	// instead of being an error (the item's ID is -1, or the id given);
	// a number out of range is ignored.
	Lenient bool
	// Invalid overrides the kind's message for a bad value ({key},
	// {value}, {quoted}).
	Invalid string
	// Chip is the chip label of one value, with {} standing for the
	// value's label (a row's name, "me", a choice's label or the value);
	// a special value shows its own label instead. Empty: the parameter
	// shows no chip.
	Chip string
	// Join joins the chip labels of several values (default " or ").
	Join string
}

func (p *FilterParam) message(raw string) string {
	msg := p.Invalid
	if msg == "" {
		msg = p.Kind.invalid()
	}
	return strings.NewReplacer("{key}", p.Key, "{value}", raw, "{quoted}", strconv.Quote(raw)).Replace(msg)
}

func choice(list []FilterChoice, v string) (FilterChoice, bool) {
	for _, c := range list {
		if c.Value == v {
			return c, true
		}
	}
	return FilterChoice{}, false
}

// FilterTable is the parameters of one feature, in the order chips show
// them.
type FilterTable struct {
	Name   string
	Params []FilterParam
}

// Keys lists the table's parameter names.
func (t *FilterTable) Keys() []string {
	out := make([]string, len(t.Params))
	for i := range t.Params {
		out[i] = t.Params[i].Key
	}
	return out
}

// Param is the parameter called key (nil if the table has none).
func (t *FilterTable) Param(key string) *FilterParam {
	for i := range t.Params {
		if t.Params[i].Key == key {
			return &t.Params[i]
		}
	}
	return nil
}
