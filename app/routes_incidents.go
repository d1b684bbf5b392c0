package app

import (
	"net/http"

	"github.com/debrief-sre/debrief/app/pages"
)

// incidentRoutes are the pages of incidents, their timelines, import and postmortems.
func incidentRoutes(p *pages.Handlers) []route {
	return []route{
		// Incidents: records, timelines, import, postmortems
		{Name: "incidents.index", Method: http.MethodGet, Path: "/incidents", Handler: p.Incidents.Index, Access: viewer},
		{Name: "incidents.export", Method: http.MethodGet, Path: "/incidents/export.csv", Handler: p.Incidents.Export, Access: viewer},
		{Name: "incidents.import", Method: http.MethodGet, Path: "/incidents/import", Handler: p.Import.New, Access: member},
		{Name: "incidents.import.upload", Method: http.MethodPost, Path: "/incidents/import", Handler: p.Import.Upload, Access: member, Upload: true},
		{Name: "incidents.import.show", Method: http.MethodGet, Path: "/incidents/import/:id", Handler: p.Import.Show, Access: member},
		{Name: "incidents.import.progress", Method: http.MethodGet, Path: "/incidents/import/:id/progress", Handler: p.Import.Progress, Access: member},
		{Name: "incidents.import.confirm", Method: http.MethodPost, Path: "/incidents/import/:id/confirm", Handler: p.Import.Confirm, Access: member},
		{Name: "incidents.new", Method: http.MethodGet, Path: "/incidents/new", Handler: p.Incidents.New, Access: member},
		{Name: "incidents.create", Method: http.MethodPost, Path: "/incidents", Handler: p.Incidents.Create, Access: member},
		{Name: "incidents.show", Method: http.MethodGet, Path: "/incidents/:key", Handler: p.Incidents.Show, Access: viewer},
		{Name: "incidents.edit", Method: http.MethodGet, Path: "/incidents/:key/edit", Handler: p.Incidents.Edit, Access: member},
		{Name: "incidents.update", Method: http.MethodPost, Path: "/incidents/:key", Handler: p.Incidents.Update, Access: member},
		{Name: "timeline.index", Method: http.MethodGet, Path: "/incidents/:key/timeline", Handler: p.Timeline.Index, Access: viewer},
		{Name: "timeline.create", Method: http.MethodPost, Path: "/incidents/:key/timeline", Handler: p.Timeline.Create, Access: member},
		{Name: "timeline.edit", Method: http.MethodGet, Path: "/incidents/:key/timeline/:id/edit", Handler: p.Timeline.Edit, Access: member},
		{Name: "timeline.update", Method: http.MethodPost, Path: "/incidents/:key/timeline/:id", Handler: p.Timeline.Update, Access: member},
		{Name: "timeline.delete", Method: http.MethodPost, Path: "/incidents/:key/timeline/:id/delete", Handler: p.Timeline.Delete, Access: member},
		{Name: "timeline.paste", Method: http.MethodPost, Path: "/incidents/:key/timeline/paste", Handler: p.Timeline.Paste, Access: member},
		{Name: "timeline.paste.save", Method: http.MethodPost, Path: "/incidents/:key/timeline/paste/save", Handler: p.Timeline.PasteSave, Access: member},
		{Name: "postmortems.index", Method: http.MethodGet, Path: "/postmortems", Handler: p.Postmortems.Index, Access: viewer},
		{Name: "postmortems.show", Method: http.MethodGet, Path: "/incidents/:key/postmortem", Handler: p.Postmortems.Show, Access: viewer},
		{Name: "postmortems.new", Method: http.MethodGet, Path: "/incidents/:key/postmortem/new", Handler: p.Postmortems.New, Access: member},
		{Name: "postmortems.create", Method: http.MethodPost, Path: "/incidents/:key/postmortem", Handler: p.Postmortems.Create, Access: member},
		{Name: "postmortems.people", Method: http.MethodPost, Path: "/incidents/:key/postmortem/people", Handler: p.Postmortems.People, Access: member},
		{Name: "postmortems.status", Method: http.MethodPost, Path: "/incidents/:key/postmortem/status", Handler: p.Postmortems.Status, Access: member},
		{Name: "postmortems.publish", Method: http.MethodPost, Path: "/incidents/:key/postmortem/publish", Handler: p.Postmortems.Status, Access: facilitator},
		{Name: "postmortems.reopen", Method: http.MethodPost, Path: "/incidents/:key/postmortem/reopen", Handler: p.Postmortems.Status, Access: admin},
		{Name: "postmortems.section", Method: http.MethodGet, Path: "/incidents/:key/postmortem/sections/:id", Handler: p.Postmortems.Section, Access: viewer},
		{Name: "postmortems.section.save", Method: http.MethodPost, Path: "/incidents/:key/postmortem/sections/:id", Handler: p.Postmortems.SectionSave, Access: member},
		{Name: "postmortems.section.history", Method: http.MethodGet, Path: "/incidents/:key/postmortem/sections/:id/history", Handler: p.Postmortems.SectionHistory, Access: viewer},
		{Name: "postmortems.factors.create", Method: http.MethodPost, Path: "/incidents/:key/postmortem/factors", Handler: p.Postmortems.FactorCreate, Access: member},
		{Name: "postmortems.factors.delete", Method: http.MethodPost, Path: "/incidents/:key/postmortem/factors/:id/delete", Handler: p.Postmortems.FactorDelete, Access: member},
		{Name: "postmortems.actions.create", Method: http.MethodPost, Path: "/incidents/:key/postmortem/actions", Handler: p.Postmortems.ActionCreate, Access: member},
		{Name: "postmortems.export", Method: http.MethodGet, Path: "/incidents/:key/postmortem/export.md", Handler: p.Postmortems.Export, Access: viewer},
		{Name: "postmortems.print", Method: http.MethodGet, Path: "/incidents/:key/postmortem/print", Handler: p.Postmortems.Print, Access: viewer},
	}
}
