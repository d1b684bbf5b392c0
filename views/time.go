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
