package app

import (
	"net/http"

	"github.com/debrief-sre/debrief/app/pages"
)

// retroRoutes are the pages and stream of live retrospectives.
func retroRoutes(p *pages.Handlers) []route {
	return []route{
		// Live retrospectives; every write publishes to the retro's topic
		{Name: "retros.index", Method: http.MethodGet, Path: "/retros", Handler: p.Retros.Index, Access: viewer},
		{Name: "retros.new", Method: http.MethodGet, Path: "/retros/new", Handler: p.Retros.New, Access: facilitator},
		{Name: "retros.create", Method: http.MethodPost, Path: "/retros", Handler: p.Retros.Create, Access: facilitator},
		{Name: "retros.show", Method: http.MethodGet, Path: "/retros/:id", Handler: p.Retros.Show, Access: viewer},
		{Name: "retros.stream", Method: http.MethodGet, Path: "/retros/:id/stream", Handler: p.RetroStream.Stream, Access: viewer, Stream: true},
		{Name: "retros.phase", Method: http.MethodPost, Path: "/retros/:id/phase", Handler: p.Retros.Phase, Access: member},
		{Name: "retros.timer", Method: http.MethodPost, Path: "/retros/:id/timer", Handler: p.Retros.Timer, Access: member},
		{Name: "retros.ready", Method: http.MethodPost, Path: "/retros/:id/ready", Handler: p.Retros.Ready, Access: member},
		{Name: "retros.reveal", Method: http.MethodPost, Path: "/retros/:id/reveal", Handler: p.Retros.Reveal, Access: member},
		{Name: "retros.settings", Method: http.MethodPost, Path: "/retros/:id/settings", Handler: p.Retros.Settings, Access: member},
		{Name: "retros.notes.create", Method: http.MethodPost, Path: "/retros/:id/notes", Handler: p.Retros.NoteCreate, Access: member},
		{Name: "retros.notes.update", Method: http.MethodPost, Path: "/retros/:id/notes/:nid", Handler: p.Retros.NoteUpdate, Access: member},
		{Name: "retros.notes.delete", Method: http.MethodPost, Path: "/retros/:id/notes/:nid/delete", Handler: p.Retros.NoteDelete, Access: member},
		{Name: "retros.notes.group", Method: http.MethodPost, Path: "/retros/:id/notes/:nid/group", Handler: p.Retros.NoteGroup, Access: member},
		{Name: "retros.themes.create", Method: http.MethodPost, Path: "/retros/:id/themes", Handler: p.Retros.ThemeCreate, Access: member},
		{Name: "retros.themes.delete", Method: http.MethodPost, Path: "/retros/:id/themes/:tid/delete", Handler: p.Retros.ThemeDelete, Access: member},
		{Name: "retros.votes.cast", Method: http.MethodPost, Path: "/retros/:id/themes/:tid/vote", Handler: p.Retros.Vote, Access: member},
		{Name: "retros.votes.withdraw", Method: http.MethodPost, Path: "/retros/:id/themes/:tid/unvote", Handler: p.Retros.Vote, Access: member},
		{Name: "retros.proposals.create", Method: http.MethodPost, Path: "/retros/:id/proposals", Handler: p.Retros.ProposalCreate, Access: member},
		{Name: "retros.proposals.decide", Method: http.MethodPost, Path: "/retros/:id/proposals/:pid", Handler: p.Retros.ProposalDecide, Access: member},
		{Name: "retros.factors.create", Method: http.MethodPost, Path: "/retros/:id/factors", Handler: p.Retros.FactorCreate, Access: member},
		{Name: "retros.actions.create", Method: http.MethodPost, Path: "/retros/:id/actions", Handler: p.Retros.ActionCreate, Access: member},
		{Name: "retros.close", Method: http.MethodPost, Path: "/retros/:id/close", Handler: p.Retros.Close, Access: member},
	}
}
