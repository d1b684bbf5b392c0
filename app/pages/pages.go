// Package pages serves Debrief's HTML pages: one small handler type per
// feature, each built on the shared base (the web kit plus the helpers
// pages have in common). Handlers decode the request, call models, build
// a view model and render it; app wires them into the route table.
package pages

import (
	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// base is what every page handler embeds: the kit and the page helpers
// below (time formatting, choices for selects, action item rows).
type base struct {
	*web.Kit
	// builtins adds the built-in review templates on first use.
	builtins *models.Builtins
}

// Handlers are the page handlers of one server.
type Handlers struct {
	RetroStream         RetroStream
	Retros              Retros
	PostmortemTemplates PostmortemTemplates
	Postmortems         Postmortems
	Insights            Insights
	Integrations        Integrations
	Severities          Severities
	Timeline            Timeline
	Incidents           Incidents
	Import              Import
	Home                Home
	FollowThrough       FollowThrough
	MyWork              MyWork
	ActionList          ActionList
	Actions             Actions
	Components          Components
	Findings            Findings
	Templates           Templates
	Readouts            Readouts
	Reviews             Reviews
	LiveCheckStream     LiveCheckStream
	LiveCheck           LiveCheck
	Auth                Auth
	Notifications       Notifications
	Reminders           Reminders
	Audit               Audit
	AdminTeams          AdminTeams
	AdminUsers          AdminUsers
	Account             Account
}

// Options are the settings of pages beyond the kit.
type Options struct {
	// OIDC enables single sign-on when its Issuer is set.
	OIDC OIDCConfig
	// Builtins adds the built-in review templates on first use (shared
	// with the API).
	Builtins *models.Builtins
	// ImportAsyncRows: incident imports with more rows run in the
	// background with a progress bar.
	ImportAsyncRows int
	// WebhookAllowPrivate accepts team webhook URLs on private networks.
	WebhookAllowPrivate bool
}

// Close waits for background work the pages started (large imports).
func (h *Handlers) Close() { h.Import.imports.wait() }

// New builds the page handlers on the kit.
func New(k *web.Kit, o Options) *Handlers {
	b := base{Kit: k, builtins: o.Builtins}
	var sso *oidcClient
	if o.OIDC.Issuer != "" {
		sso = &oidcClient{cfg: o.OIDC}
	}
	return &Handlers{
		RetroStream:         RetroStream{b},
		Retros:              Retros{b},
		PostmortemTemplates: PostmortemTemplates{b},
		Postmortems:         Postmortems{b},
		Insights:            Insights{b},
		Integrations:        Integrations{b},
		Severities:          Severities{b},
		Timeline:            Timeline{b},
		Incidents:           Incidents{b},
		Import:              Import{base: b, imports: newImportTracker(), asyncRows: o.ImportAsyncRows},
		Home:                Home{b},
		FollowThrough:       FollowThrough{b},
		MyWork:              MyWork{b},
		ActionList:          ActionList{b},
		Actions:             Actions{b},
		Components:          Components{b},
		Findings:            Findings{b},
		Templates:           Templates{b},
		Readouts:            Readouts{b},
		Reviews:             Reviews{b},
		LiveCheckStream:     LiveCheckStream{b},
		LiveCheck:           LiveCheck{b},
		Auth:                Auth{base: b, oidc: sso},
		Notifications:       Notifications{base: b, allowPrivate: o.WebhookAllowPrivate},
		Reminders:           Reminders{b},
		Audit:               Audit{b},
		AdminTeams:          AdminTeams{b},
		AdminUsers:          AdminUsers{b},
		Account:             Account{b},
	}
}
