package pages

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

func (h ActionList) Bulk(c echo.Context) error {
	form, err := web.FormValues(c)
	if err != nil {
		return err
	}
	listQuery, _ := url.ParseQuery(form.Get("query"))
	change := models.BulkChange{Status: form.Get("status"), Note: form.Get("note")}
	selected := map[int64]bool{}
	for _, raw := range form["id"] {
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
			change.IDs = append(change.IDs, id)
			selected[id] = true
		}
	}
	switch o := form.Get("owner"); o {
	case "":
	case "none":
		empty := ""
		change.Owner = &empty
	default:
		change.Owner = &o
	}
	if form.Get("clear_due") == "1" {
		empty := ""
		change.DueDate = &empty
	} else if d := form.Get("due_date"); d != "" {
		change.DueDate = &d
	}
	res, err := models.BulkChangeActionItems(c.Request().Context(), h.DB, web.Actor(c), change)
	if ve, ok := models.AsValidation(err); ok {
		bulk := views.FormFrom(form).WithErrors(ve.Fields, ve.Global)
		if msg, ok := ve.Fields["status_reason"]; ok {
			bulk.Errors["note"] = msg
		}
		return h.renderActionList(c, http.StatusUnprocessableEntity, listQuery, bulk, selected)
	}
	if errors.Is(err, models.ErrNotFound) {
		h.Flash(c, "warn", "One of the selected items no longer exists; nothing was changed.")
		return h.Redirect(c, h.ActionsURL(listQuery))
	}
	if err != nil {
		return err
	}
	msg := "Changed " + views.Plural(int64(res.Changed), "action item", "action items") + "."
	if res.Unchanged > 0 {
		msg += fmt.Sprintf(" %d already had those values.", res.Unchanged)
	}
	h.Flash(c, "ok", msg)
	return h.Redirect(c, h.ActionsURL(listQuery))
}
