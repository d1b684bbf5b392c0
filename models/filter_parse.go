package models

import (
	"strconv"
	"strings"
	"time"
)

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

// LoadZone loads an IANA time zone, refusing the process-dependent
// "Local" and names that are no zone names.
func LoadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" || strings.ContainsAny(name, " '\"\\") {
		return nil, FieldError("tz", "unknown time zone")
	}
	return time.LoadLocation(name)
}
