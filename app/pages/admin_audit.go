package pages

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// Audit serves the audit trail to admins.
type Audit struct{ base }

const auditPageSize = 100

func (h Audit) Index(c echo.Context) error {
	ctx := c.Request().Context()
	q := c.QueryParams()
	f := views.FormFrom(q)
	loc := web.CurrentUser(c).Location(h.Location)
	filter := models.AuditFilter{ObjectType: q.Get("type"), Action: q.Get("action"), Limit: auditPageSize + 1}
	if v := q.Get("actor"); v != "" {
		filter.ActorID, _ = strconv.ParseInt(v, 10, 64)
	}
	if v := q.Get("before"); v != "" {
		filter.BeforeID, _ = strconv.ParseInt(v, 10, 64)
	}
	errs := map[string]string{}
	if t, ok := parseDay(q.Get("from"), loc, errs, "from"); ok {
		filter.From = &t
	}
	if t, ok := parseDay(q.Get("to"), loc, errs, "to"); ok {
		end := t.AddDate(0, 0, 1)
		filter.To = &end
	}
	if len(errs) > 0 {
		f = f.WithErrors(errs, nil)
	}
	entries, err := models.ListAudit(ctx, h.DB, filter)
	if err != nil {
		return err
	}
	m := views.AuditModel{Filter: f}
	if len(entries) > auditPageSize {
		entries = entries[:auditPageSize]
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		m.NextPage = next.Encode()
	}
	for _, e := range entries {
		row := views.AuditRow{At: e.At, Actor: e.ActorName, IP: e.IP, Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID, Summary: e.Summary}
		changes := e.ChangeMap()
		keys := make([]string, 0, len(changes))
		for k := range changes {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			row.Changes = append(row.Changes, views.AuditChange{Field: k, From: showValue(changes[k].From), To: showValue(changes[k].To)})
		}
		m.Entries = append(m.Entries, row)
	}
	users, err := models.ListUsers(ctx, h.DB, models.UserFilter{})
	if err != nil {
		return err
	}
	m.Actors = []views.Option{{Value: "", Label: "Anyone"}}
	for _, u := range users {
		m.Actors = append(m.Actors, views.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name})
	}
	types, err := models.AuditObjectTypes(ctx, h.DB)
	if err != nil {
		return err
	}
	m.Types = []views.Option{{Value: "", Label: "Any object"}}
	for _, t := range types {
		m.Types = append(m.Types, views.Option{Value: t, Label: strings.ReplaceAll(t, "_", " ")})
	}
	m.Actions = []views.Option{{Value: "", Label: "Any action"}}
	for _, a := range []string{models.AuditCreate, models.AuditUpdate, models.AuditDelete, models.AuditStateChange, models.AuditSignIn, models.AuditSignInFailed, models.AuditSignOut} {
		m.Actions = append(m.Actions, views.Option{Value: a, Label: strings.ReplaceAll(a, "_", " ")})
	}
	return h.Render(c, http.StatusOK, views.AdminAudit(h.Page(c, "Audit trail", "admin"), m))
}

// parseDay reads a YYYY-MM-DD date as midnight in loc, noting a message
// in errs when it is malformed.
func parseDay(v string, loc *time.Location, errs map[string]string, field string) (time.Time, bool) {
	if v == "" {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation("2006-01-02", v, loc)
	if err != nil {
		errs[field] = "Use a date like 2026-03-01."
		return time.Time{}, false
	}
	return t, true
}

func showValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case string:
		if x == "" {
			return "—"
		}
		return x
	case []any:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = fmt.Sprint(p)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}
