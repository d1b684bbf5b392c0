package app_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestOpenAPIMatchesRoutes fails when a registered /api/v1 route is missing
// from the OpenAPI document or the document describes a route that does not
// exist.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	env := apptest.New(t, dbtest.New(t, "sqlite"))
	r := env.Client().Get("/api/v1/openapi.json").Expect(t, http.StatusOK)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(r.Body), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Fatalf("openapi version %q, want 3.1.x", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for p, ops := range doc.Paths {
		for m := range ops {
			if m == "parameters" || m == "summary" || m == "description" {
				continue
			}
			documented[strings.ToUpper(m)+" "+p] = true
		}
	}
	param := regexp.MustCompile(`:([a-zA-Z_]+)`)
	registered := map[string]bool{}
	for _, rt := range env.App.Routes() {
		if !strings.HasPrefix(rt.Path, "/api/v1/") || rt.Method == http.MethodHead {
			continue
		}
		registered[rt.Method+" "+param.ReplaceAllString(rt.Path, "{$1}")] = true
	}
	var missing, extra []string
	for k := range registered {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !registered[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	for _, m := range missing {
		t.Errorf("route %s is not in the OpenAPI document", m)
	}
	for _, e := range extra {
		t.Errorf("OpenAPI document describes %s, which is not a route", e)
	}
}
