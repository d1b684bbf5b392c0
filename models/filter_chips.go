package models

import "strings"

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
