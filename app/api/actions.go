package api

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// Actions serves action items: the list, create, read and update, bulk changes, history, comments and the follow-through figures.
type Actions struct{ *web.Kit }

// The action item API: the list with every filter of the page, create,
// get, update, bulk update and comments; and the follow-through figures.

func strPtr(s string) *string { return &s }

// apiActionQuery reads GET /api/v1/action-items: every filter of the
// action item page (models.ActionFilters, which takes the first API's
// names too). Without sort, items come by id and the cursor is the last
// id; with sort, the cursor carries the offset.
func (h Actions) apiActionQuery(c echo.Context, lp listParams) (models.ActionQuery, func(int64) any, error) {
	// The first API's "status=open_all" is the page's state=open; its
	// other names are aliases in the table.
	v := url.Values{}
	for k, vals := range c.QueryParams() {
		for _, x := range vals {
			if k == "status" && x == "open_all" {
				v.Set("state", "open")
				continue
			}
			v.Add(k, x)
		}
	}
	f, err := h.ActionFilter(c, v)
	if err != nil {
		return f.Query, nil, err
	}
	if f.Err != nil {
		return f.Query, nil, f.Err
	}
	q := f.Query
	q.Limit = lp.Limit + 1
	if q.Sort == "" {
		q.Sort = "id"
		if err := decodeCursor(lp.Cursor, &q.AfterID); err != nil {
			return q, nil, err
		}
		return q, func(id int64) any { return id }, nil
	}
	var pos struct {
		Offset int `json:"offset"`
	}
	if err := decodeCursor(lp.Cursor, &pos); err != nil {
		return q, nil, err
	}
	q.Offset = pos.Offset
	next := pos.Offset + lp.Limit
	return q, func(int64) any { return map[string]int{"offset": next} }, nil
}

func (h Actions) Bulk(c echo.Context) error {
	var in struct {
		IDs     []int64 `json:"ids"`
		Status  string  `json:"status"`
		Note    string  `json:"note"`
		Owner   *string `json:"owner"`
		DueDate *string `json:"due_date"`
	}
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	res, err := models.BulkChangeActionItems(c.Request().Context(), h.DB, web.Actor(c), models.BulkChange{
		IDs: in.IDs, Status: in.Status, Note: in.Note, Owner: in.Owner, DueDate: in.DueDate,
	})
	if err != nil {
		return err
	}
	return web.WriteJSON(c, http.StatusOK, map[string]int{"changed": res.Changed, "unchanged": res.Unchanged})
}
