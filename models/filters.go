package models

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// The filter layer: every list or figure page declares its query
// parameters once, in a FilterTable (filter_tables.go), and ResolveFilter
// reads them all: it parses each value by its kind, looks up the slugs,
// emails, names, keys and ids they name with one query per kind, and
// answers the values with a message per bad parameter (the key is the
// query parameter's name). A small function per feature maps the result
// into its query struct (ActionQueryOf, FollowThroughScopeOf,
// IncidentFilterOf, insights.ScopeOf); the table's chip templates name the
// active filters (ResolvedFilter.Chips).

// FilterKind is how a parameter's value is read.
type FilterKind string

// The kinds of filter parameters.
const (
	FilterText      FilterKind = "text"        // free text, trimmed
	FilterTag       FilterKind = "tag"         // an incident tag
	FilterEnum      FilterKind = "enum"        // one of Choices
	FilterFlag      FilterKind = "bool"        // "1" or "true" sets it; any other value is ignored
	FilterNumber    FilterKind = "number"      // a whole number from Min to Max (Max 0: no upper bound)
	FilterDate      FilterKind = "date"        // YYYY-MM-DD
	FilterDayOrTime FilterKind = "day_or_time" // YYYY-MM-DD (a day in the scope's zone) or an RFC 3339 instant
	FilterZone      FilterKind = "zone"        // an IANA time zone name
	FilterTeam      FilterKind = "team"        // a team slug
	FilterUser      FilterKind = "user"        // a user's email address, or "me"
	FilterComponent FilterKind = "component"   // a component slug
	FilterSeverity  FilterKind = "severity"    // a severity name, in any case
	FilterIncident  FilterKind = "incident"    // an incident key (INC-12, inc-12 or 12)
	FilterReview    FilterKind = "review"      // a review id
	FilterFinding   FilterKind = "finding"     // a finding id
)

// lookup reports whether values of the kind name rows.
func (k FilterKind) lookup() bool {
	switch k {
	case FilterTeam, FilterUser, FilterComponent, FilterSeverity, FilterIncident, FilterReview, FilterFinding:
		return true
	}
	return false
}

// invalid is the kind's message for a value that does not parse or names
// nothing: {key} is the parameter, {value} the value, {quoted} the value
// in Go quotes.
func (k FilterKind) invalid() string {
	switch k {
	case FilterEnum:
		return "Unknown {key} {quoted}."
	case FilterNumber, FilterReview, FilterFinding:
		return "{key} must be a number."
	case FilterDate:
		return "Enter {key} as YYYY-MM-DD."
	case FilterDayOrTime:
		return "Enter a date like 2026-03-01."
	case FilterZone:
		return "Choose a time zone by its IANA name, like Europe/Berlin or America/New_York."
	case FilterTeam:
		return "No team has the slug {value}."
	case FilterUser:
		return "No user has the email {value}."
	case FilterComponent:
		return "No component has the slug {value}."
	case FilterSeverity:
		return "No severity is called {value}."
	case FilterIncident:
		return "No incident has the key {value}."
	}
	return "{key} is not valid."
}

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

// FilterChip is one active filter in words.
type FilterChip struct {
	Key, Label string
}

// Chips are the active filters with a chip template, in the table's
// order: one per parameter, its values joined.
func (r *ResolvedFilter) Chips() []FilterChip {
	var out []FilterChip
	for i := range r.Table.Params {
		p := &r.Table.Params[i]
		items := r.items[p.Key]
		if p.Chip == "" || len(items) == 0 {
			continue
		}
		labels := make([]string, 0, len(items))
		for _, it := range items {
			if c, ok := choice(p.Special, it.Special); ok {
				labels = append(labels, c.Label) // "No team", whole
				continue
			}
			labels = append(labels, strings.ReplaceAll(p.Chip, "{}", it.Label))
		}
		join := p.Join
		if join == "" {
			join = " or "
		}
		out = append(out, FilterChip{Key: p.Key, Label: strings.Join(labels, join)})
	}
	return out
}

// values reads a parameter's raw values: the first non-empty one, or
// every one split at commas when it repeats, trimmed and without repeats.
func (p *FilterParam) values(v url.Values) []string {
	var all []string
	for _, k := range append([]string{p.Key}, p.Aliases...) {
		all = append(all, v[k]...)
	}
	var out []string
	for _, s := range all {
		if !p.Repeats {
			if s = strings.TrimSpace(s); s != "" {
				return []string{s}
			}
			continue
		}
		for _, part := range strings.Split(s, ",") {
			if part = strings.TrimSpace(part); part != "" && !slices.Contains(out, part) {
				out = append(out, part)
			}
		}
	}
	return out
}

// pending is a value waiting for its lookup.
type pending struct {
	param *FilterParam
	index int // in items
	key   string
}

// ResolveFilter reads the parameters of table t from v. me is the
// signed-in user ("me" in a user parameter), or nil. The result is always
// usable: bad values are left out and err, when not nil, is a
// *ValidationError naming each bad parameter (or a database error, with
// a nil result).
func ResolveFilter(ctx context.Context, db *gorm.DB, t *FilterTable, v url.Values, me *User) (*ResolvedFilter, error) {
	r := &ResolvedFilter{Table: t, Params: url.Values{}, items: map[string][]FilterItem{}}
	var waiting []pending
	for i := range t.Params {
		p := &t.Params[i]
		raws := p.values(v)
		if len(raws) == 0 {
			continue
		}
		if p.Kind.lookup() {
			r.Params.Set(p.Key, strings.Join(raws, ","))
		}
		var items []FilterItem
		for _, raw := range raws {
			it, key, ok := p.parse(raw, me)
			switch {
			case !ok && p.Kind == FilterNumber && p.Lenient, !ok && p.Kind == FilterFlag:
				continue
			case !ok:
				r.errs.Add(p.Key, p.message(raw))
				continue
			case key != "":
				waiting = append(waiting, pending{param: p, index: len(items), key: key})
			}
			items = append(items, it)
		}
		r.items[p.Key] = items
	}
	if err := r.lookUp(ctx, db, waiting); err != nil {
		return nil, err
	}
	for i := range t.Params {
		p := &t.Params[i]
		if p.Kind.lookup() || len(r.items[p.Key]) == 0 {
			continue
		}
		vals := make([]string, 0, len(r.items[p.Key]))
		for _, it := range r.items[p.Key] {
			vals = append(vals, it.Value)
		}
		r.Params.Set(p.Key, strings.Join(vals, ","))
	}
	return r, r.Err()
}

// parse reads one raw value. A value that names a row comes back with
// the key to look it up by.
func (p *FilterParam) parse(raw string, me *User) (it FilterItem, key string, ok bool) {
	it = FilterItem{Raw: raw, Value: raw, Label: raw}
	if c, found := choice(p.Special, raw); found {
		it.Special, it.Label = c.Value, c.Label
		return it, "", true
	}
	switch p.Kind {
	case FilterText, FilterTag:
		return it, "", true
	case FilterEnum:
		c, found := choice(p.Choices, raw)
		it.Label = c.Label
		return it, "", found
	case FilterFlag:
		it.Value, it.Label = "1", ""
		return it, "", raw == "1" || raw == "true"
	case FilterNumber:
		n, err := strconv.Atoi(raw)
		if err != nil || n < p.Min || (p.Max > 0 && n > p.Max) {
			return it, "", false
		}
		it.Int = n
		return it, "", true
	case FilterDate:
		d, err := ParseDate(raw)
		if err != nil {
			return it, "", false
		}
		it.Date, it.Value, it.Label = d, d.String(), d.String()
		return it, "", true
	case FilterDayOrTime:
		if t, err := time.Parse(time.RFC3339, raw); err == nil {
			it.Time = &t
			return it, "", true
		}
		d, err := ParseDate(raw)
		if err != nil {
			return it, "", false
		}
		it.Date = d
		return it, "", true
	case FilterZone:
		loc, err := LoadZone(raw)
		if err != nil {
			return it, "", false
		}
		it.Zone = loc
		return it, "", true
	case FilterUser:
		if raw == "me" && me != nil {
			it.Special, it.ID, it.Found, it.Name, it.Value, it.Label = "me", me.ID, true, me.Name, me.Email, "me"
			return it, "", true
		}
		return it, NormalizeEmail(raw), true
	case FilterTeam, FilterComponent:
		return it, raw, true
	case FilterSeverity:
		return it, strings.ToLower(raw), true
	case FilterIncident:
		n, valid := ParseIncidentKey(raw)
		if !valid {
			// Names nothing; looked up as no number at all.
			return it, "0", true
		}
		return it, strconv.FormatInt(n, 10), true
	case FilterReview, FilterFinding:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n <= 0 {
			return it, "", false
		}
		it.ID = n
		return it, raw, true
	}
	return it, "", false
}

// filterRow is a looked-up row: what it is found by, its id, canonical
// value and name.
type filterRow struct {
	Key   string `gorm:"column:lookup_key"`
	ID    int64
	Value string `gorm:"column:lookup_value"`
	Name  string
}

// lookUp finds the rows the waiting values name, one query per kind, and
// fills in their items; a value naming nothing is an error unless its
// parameter is lenient.
func (r *ResolvedFilter) lookUp(ctx context.Context, db *gorm.DB, waiting []pending) error {
	byKind := map[FilterKind][]string{}
	for _, w := range waiting {
		k := w.param.Kind
		if !utf8.ValidString(w.key) || strings.ContainsRune(w.key, 0) {
			continue // names nothing, and PostgreSQL refuses such text
		}
		if !slices.Contains(byKind[k], w.key) {
			byKind[k] = append(byKind[k], w.key)
		}
	}
	found := map[FilterKind]map[string]filterRow{}
	for kind, keys := range byKind {
		rows, err := lookUpFilterRows(ctx, db, kind, keys)
		if err != nil {
			return fmt.Errorf("models: resolve %s filter: %w", kind, TranslateError(err))
		}
		m := make(map[string]filterRow, len(rows))
		for _, row := range rows {
			m[row.Key] = row
		}
		found[kind] = m
	}
	gone := map[string][]int{}
	for _, w := range waiting {
		p := w.param
		it := &r.items[p.Key][w.index]
		row, ok := found[p.Kind][w.key]
		switch {
		case ok:
			it.ID, it.Found, it.Name, it.Value, it.Label = row.ID, true, row.Name, row.Value, row.Name
			switch p.Kind {
			case FilterIncident:
				it.Label = row.Value + " " + row.Name
			case FilterReview, FilterFinding:
				it.Label = "“" + row.Name + "”"
			}
		case p.Lenient:
			if p.Kind == FilterReview || p.Kind == FilterFinding {
				it.Label = "#" + it.Raw
			} else {
				it.ID = -1
			}
		default:
			r.errs.Add(p.Key, p.message(it.Raw))
			gone[p.Key] = append(gone[p.Key], w.index)
		}
	}
	for key, idx := range gone {
		items := r.items[key]
		kept := items[:0]
		for i, it := range items {
			if !slices.Contains(idx, i) {
				kept = append(kept, it)
			}
		}
		r.items[key] = kept
	}
	return nil
}

// lookUpFilterRows loads the rows of one kind by their keys.
func lookUpFilterRows(ctx context.Context, db *gorm.DB, kind FilterKind, keys []string) ([]filterRow, error) {
	var rows []filterRow
	q := db.WithContext(ctx)
	switch kind {
	case FilterTeam:
		q = q.Table("teams").Select("slug AS lookup_key, id, slug AS lookup_value, name").Where("slug IN ?", keys)
	case FilterComponent:
		q = q.Table("components").Select("slug AS lookup_key, id, slug AS lookup_value, name").Where("slug IN ?", keys)
	case FilterUser:
		q = q.Table("users").Select("lower(email) AS lookup_key, id, email AS lookup_value, name").Where("lower(email) IN ?", keys)
	case FilterSeverity:
		q = q.Table("severities").Select("lower(name) AS lookup_key, id, name AS lookup_value, name").Where("lower(name) IN ?", keys)
	case FilterIncident:
		nums := make([]int64, 0, len(keys))
		for _, k := range keys {
			n, _ := strconv.ParseInt(k, 10, 64)
			nums = append(nums, n)
		}
		var incs []struct {
			ID, Number int64
			Title      string
		}
		if err := q.Table("incidents").Select("id, number, title").Where("number IN ?", nums).Find(&incs).Error; err != nil {
			return nil, err
		}
		for _, i := range incs {
			rows = append(rows, filterRow{Key: strconv.FormatInt(i.Number, 10), ID: i.ID, Value: IncidentKey(i.Number), Name: i.Title})
		}
		return rows, nil
	case FilterReview, FilterFinding:
		table := "reviews"
		if kind == FilterFinding {
			table = "findings"
		}
		ids := make([]int64, 0, len(keys))
		for _, k := range keys {
			n, _ := strconv.ParseInt(k, 10, 64)
			ids = append(ids, n)
		}
		var list []struct {
			ID    int64
			Title string
		}
		if err := q.Table(table).Select("id, title").Where("id IN ?", ids).Find(&list).Error; err != nil {
			return nil, err
		}
		for _, x := range list {
			id := strconv.FormatInt(x.ID, 10)
			rows = append(rows, filterRow{Key: id, ID: x.ID, Value: id, Name: x.Title})
		}
		return rows, nil
	default:
		return nil, nil
	}
	err := q.Find(&rows).Error
	return rows, err
}

// LoadZone loads an IANA time zone, refusing the process-dependent
// "Local" and names that are no zone names.
func LoadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" || strings.ContainsAny(name, " '\"\\") {
		return nil, FieldError("tz", "unknown time zone")
	}
	return time.LoadLocation(name)
}
