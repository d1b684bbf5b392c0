package views

import (
	"context"
	"io"
	"time"

	"github.com/a-h/templ"
)

// DateTime renders t in the viewer's time zone, naming the zone, inside a
// <time> element carrying the exact instant.
func DateTime(t time.Time) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		loc := ViewerOf(ctx).Location()
		lt := t.In(loc)
		_, err := io.WriteString(w, `<time datetime="`+t.UTC().Format(time.RFC3339)+`">`+
			templ.EscapeString(lt.Format("2 Jan 2006 15:04 MST"))+`</time>`)
		return err
	})
}

// FormatDateTime formats t in the viewer's zone, naming the zone.
func FormatDateTime(ctx context.Context, t time.Time) string {
	return t.In(ViewerOf(ctx).Location()).Format("2 Jan 2006 15:04 MST")
}

// FormatDate formats the calendar day of t in the viewer's zone.
func FormatDate(ctx context.Context, t time.Time) string {
	return t.In(ViewerOf(ctx).Location()).Format("2 Jan 2006")
}
