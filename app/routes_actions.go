package app

import (
	"net/http"

	"github.com/debrief-sre/debrief/app/pages"
)

// actionRoutes are the pages of action items and follow-through.
func actionRoutes(p *pages.Handlers) []route {
	return []route{
		// Action items and follow-through
		{Name: "actions.index", Method: http.MethodGet, Path: "/action-items", Handler: p.ActionList.Index, Access: viewer},
		{Name: "actions.new", Method: http.MethodGet, Path: "/action-items/new", Handler: p.Actions.New, Access: member},
		{Name: "actions.create", Method: http.MethodPost, Path: "/action-items", Handler: p.Actions.Create, Access: member},
		{Name: "actions.show", Method: http.MethodGet, Path: "/action-items/:id", Handler: p.Actions.Show, Access: viewer},
		{Name: "actions.edit", Method: http.MethodGet, Path: "/action-items/:id/edit", Handler: p.Actions.Edit, Access: member},
		{Name: "actions.update", Method: http.MethodPost, Path: "/action-items/:id/edit", Handler: p.Actions.Update, Access: member},
		{Name: "actions.status", Method: http.MethodPost, Path: "/action-items/:id/status", Handler: p.Actions.Status, Access: member},
		{Name: "actions.export", Method: http.MethodGet, Path: "/action-items/export", Handler: p.ActionList.Export, Access: viewer},
		{Name: "actions.bulk", Method: http.MethodPost, Path: "/action-items/bulk", Handler: p.ActionList.Bulk, Access: member},
		{Name: "actions.dashboard", Method: http.MethodGet, Path: "/action-items/dashboard", Handler: p.FollowThrough.Dashboard, Access: viewer},
		{Name: "actions.burnup", Method: http.MethodGet, Path: "/action-items/burn-up", Handler: p.FollowThrough.BurnUp, Access: viewer},
		{Name: "actions.row", Method: http.MethodGet, Path: "/action-items/:id/row", Handler: p.ActionList.RowShow, Access: viewer},
		{Name: "actions.row.edit", Method: http.MethodGet, Path: "/action-items/:id/row/edit", Handler: p.ActionList.RowEdit, Access: member},
		{Name: "actions.row.update", Method: http.MethodPost, Path: "/action-items/:id/row", Handler: p.ActionList.RowUpdate, Access: member},
		{Name: "actions.comments.create", Method: http.MethodPost, Path: "/action-items/:id/comments", Handler: p.Actions.CommentCreate, Access: member},
	}
}
