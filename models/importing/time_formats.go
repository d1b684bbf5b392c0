package importing

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// strftime directives and their Go layout equivalents.
var strftime = map[byte]string{
	'Y': "2006", 'y': "06", 'm': "01", 'd': "02", 'e': "_2", 'H': "15", 'I': "03", 'M': "04", 'S': "05",
	'p': "PM", 'b': "Jan", 'B': "January", 'a': "Mon", 'A': "Monday", 'z': "-0700", 'Z': "MST",
	'f': "000000", 'j': "002", '%': "%",
}

// layoutsOf turns strftime-style formats (%Y-%m-%d %H:%M) into Go layouts.
// The keywords rfc3339, unix and unix_ms pass through.
func layoutsOf(formats []string) ([]string, error) {
	out := make([]string, 0, len(formats))
	for _, f := range formats {
		switch f {
		case "rfc3339", "unix", "unix_ms":
			out = append(out, f)
			continue
		}
		var b strings.Builder
		for i := 0; i < len(f); i++ {
			if f[i] != '%' {
				b.WriteByte(f[i])
				continue
			}
			if i+1 >= len(f) {
				return nil, fmt.Errorf("%q ends with a lone %%", f)
			}
			i++
			g, ok := strftime[f[i]]
			if !ok {
				return nil, fmt.Errorf("%q: %%%c is not a known directive (use %%Y %%m %%d %%H %%M %%S %%p %%b %%z …)", f, f[i])
			}
			b.WriteString(g)
		}
		out = append(out, b.String())
	}
	return out, nil
}

// parseTime reads a time with the field's or the mapping's formats.
func (m *Mapping) parseTime(spec *FieldSpec, v string) (time.Time, bool) {
	layouts := m.layouts
	if len(spec.layouts) > 0 {
		layouts = spec.layouts
	}
	for _, l := range layouts {
		switch l {
		case "rfc3339":
			if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
				return t, true
			}
		case "unix", "unix_ms":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				continue
			}
			if l == "unix_ms" {
				return time.UnixMilli(n), true
			}
			return time.Unix(n, 0), true
		default:
			if t, err := time.ParseInLocation(l, v, m.loc); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

func (m *Mapping) formatsOf(spec *FieldSpec) []string {
	if len(spec.Formats) > 0 {
		return spec.Formats
	}
	return m.Times
}
