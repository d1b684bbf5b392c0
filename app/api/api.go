// Package api serves Debrief's JSON API under /api/v1: one small handler
// type per resource, built on the web kit. Conventions of every endpoint:
// snake_case JSON, RFC 3339 UTC timestamps, lists with limit/cursor
// answering {"items", "next_cursor"}, create → 201 with the object, stale
// version → 409 with the current object, errors as problem+json (the one
// error mapper in app/web). Every route is described in a fragment under
// openapi/, merged into /api/v1/openapi.json.
package api

import (
	"time"

	"github.com/debrief-sre/debrief/app/web"
	"github.com/debrief-sre/debrief/models"
)

// Handlers are the API handlers of one server.
type Handlers struct {
	PagerDuty   PagerDuty
	Insights    Insights
	Postmortems Postmortems
	Incidents   Incidents
	Components  Components
	Actions     Actions
	Reviews     Reviews
	Docs        Docs
	Accounts    Accounts
}

// Options are the settings of the API beyond the kit.
type Options struct {
	// Builtins adds the built-in review templates on first use (shared
	// with the pages).
	Builtins *models.Builtins
}

// New builds the API handlers on the kit.
func New(k *web.Kit, o Options) *Handlers {
	return &Handlers{
		PagerDuty:   PagerDuty{k},
		Insights:    Insights{k},
		Postmortems: Postmortems{k},
		Incidents:   Incidents{k},
		Components:  Components{k},
		Actions:     Actions{k},
		Reviews:     Reviews{Kit: k, builtins: o.Builtins},
		Docs:        Docs{k},
		Accounts:    Accounts{k},
	}
}

// utcPtr is an optional time in UTC, as the API writes every time.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
