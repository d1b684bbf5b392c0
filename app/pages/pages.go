// Package pages serves Debrief's HTML pages: one small handler type per
// feature, each built on the shared base (the web kit plus the helpers
// pages have in common). Handlers decode the request, call models, build
// a view model and render it; app wires them into the route table.
package pages

import (
	"github.com/debrief-sre/debrief/app/web"
)

// base is what every page handler embeds: the kit and the page helpers
// below (time formatting, choices for selects, action item rows).
type base struct{ *web.Kit }

// Handlers are the page handlers of one server.
type Handlers struct {
	LiveCheckStream LiveCheckStream
	LiveCheck       LiveCheck
	Auth            Auth
	Notifications   Notifications
	Reminders       Reminders
	Audit           Audit
	AdminTeams      AdminTeams
	AdminUsers      AdminUsers
	Account         Account
}

// Options are the settings of pages beyond the kit.
type Options struct {
	// OIDC enables single sign-on when its Issuer is set.
	OIDC OIDCConfig
	// WebhookAllowPrivate accepts team webhook URLs on private networks.
	WebhookAllowPrivate bool
}

// New builds the page handlers on the kit.
func New(k *web.Kit, o Options) *Handlers {
	b := base{k}
	var sso *oidcClient
	if o.OIDC.Issuer != "" {
		sso = &oidcClient{cfg: o.OIDC}
	}
	return &Handlers{
		LiveCheckStream: LiveCheckStream{b},
		LiveCheck:       LiveCheck{b},
		Auth:            Auth{base: b, oidc: sso},
		Notifications:   Notifications{base: b, allowPrivate: o.WebhookAllowPrivate},
		Reminders:       Reminders{b},
		Audit:           Audit{b},
		AdminTeams:      AdminTeams{b},
		AdminUsers:      AdminUsers{b},
		Account:         Account{b},
	}
}
