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
)

// Handlers are the API handlers of one server.
type Handlers struct {
	Docs     Docs
	Accounts Accounts
}

// New builds the API handlers on the kit.
func New(k *web.Kit) *Handlers {
	return &Handlers{
		Docs:     Docs{k},
		Accounts: Accounts{k},
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
