package models

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"gorm.io/gorm"
)

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
