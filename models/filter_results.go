package models

import (
	"net/url"
	"strings"
	"time"
)

// FilterItem is one resolved value of a parameter.
type FilterItem struct {
	// Raw is the value as given (trimmed); Value its canonical form (a
	// team's slug, a user's email, a severity's name, a date as
	// YYYY-MM-DD, the "none" of a special value).
	Raw, Value string
	// Label is the value in words for chips: a row's name, "me", a
	// choice's label, the value itself.
	Label string
	// Special is set for a special value ("none", "me").
	Special string
	// ID is the row a lookup names (-1: none, for a lenient unknown slug);
	// Found whether it exists; Name the row's name (title).
	ID    int64
	Found bool
	Name  string
	// Int is a number's value; Date a date's; Time an instant given in
	// RFC 3339 (a day_or_time parameter); Zone a time zone's.
	Int  int
	Date Date
	Time *time.Time
	Zone *time.Location
}

// ResolvedFilter is a table's parameters read from one query.
type ResolvedFilter struct {
	Table *FilterTable
	// Params are the table's non-empty parameters for links and forms:
	// lookups as typed (so a form shows what named nothing), other kinds
	// canonical and valid only; repeated values joined by commas.
	Params url.Values
	items  map[string][]FilterItem
	errs   ValidationError
}

// Items are the valid values of the parameter key, in the order given.
func (r *ResolvedFilter) Items(key string) []FilterItem { return r.items[key] }

// Item is the first valid value of the parameter key.
func (r *ResolvedFilter) Item(key string) (FilterItem, bool) {
	if it := r.items[key]; len(it) > 0 {
		return it[0], true
	}
	return FilterItem{}, false
}

// Has reports whether the parameter key has a valid value.
func (r *ResolvedFilter) Has(key string) bool { return len(r.items[key]) > 0 }

// Err is a *ValidationError with a message per bad parameter, or nil.
func (r *ResolvedFilter) Err() error {
	if r.errs.Err() == nil {
		return nil
	}
	return &r.errs
}

// Errors are the messages per bad parameter (nil if none).
func (r *ResolvedFilter) Errors() map[string]string { return r.errs.Fields }

// Messages are the error messages in the table's order.
func (r *ResolvedFilter) Messages() []string {
	var out []string
	for _, p := range r.Table.Params {
		if msg, ok := r.errs.Fields[p.Key]; ok {
			out = append(out, msg)
		}
	}
	return out
}

// Canonical is the valid values of the named parameters (all when none
// is named) in their canonical form: a team's slug, a user's email, a
// severity's name as stored.
func (r *ResolvedFilter) Canonical(keys ...string) url.Values {
	if len(keys) == 0 {
		keys = r.Table.Keys()
	}
	out := url.Values{}
	for _, k := range keys {
		var vals []string
		for _, it := range r.items[k] {
			vals = append(vals, it.Value)
		}
		if len(vals) > 0 {
			out.Set(k, strings.Join(vals, ","))
		}
	}
	return out
}
