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
	Notifications Notifications
	Reminders     Reminders
	Audit         Audit
	AdminTeams    AdminTeams
	AdminUsers    AdminUsers
	Account       Account
}

// New builds the page handlers on the kit.
func New(k *web.Kit) *Handlers {
	b := base{k}
	return &Handlers{
		Notifications: Notifications{b},
		Reminders:     Reminders{b},
		Audit:         Audit{b},
		AdminTeams:    AdminTeams{b},
		AdminUsers:    AdminUsers{b},
		Account:       Account{b},
	}
}
