package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

type apiInc struct {
	Key                      string   `json:"key"`
	Title                    string   `json:"title"`
	Severity                 *string  `json:"severity"`
	Status                   string   `json:"status"`
	StartedAt                string   `json:"started_at"`
	DetectedAt               *string  `json:"detected_at"`
	ResolvedAt               *string  `json:"resolved_at"`
	Components               []string `json:"components"`
	Tags                     []string `json:"tags"`
	Commander                *string  `json:"commander"`
	Summary                  string   `json:"summary"`
	Impact                   string   `json:"impact"`
	ExternalSource           string   `json:"external_source"`
	ExternalID               string   `json:"external_id"`
	TimeToDetectSeconds      *int64   `json:"time_to_detect_seconds"`
	TimeToAcknowledgeSeconds *int64   `json:"time_to_acknowledge_seconds"`
	TimeToMitigateSeconds    *int64   `json:"time_to_mitigate_seconds"`
	TimeToResolveSeconds     *int64   `json:"time_to_resolve_seconds"`
	Version                  int      `json:"version"`
}

func TestIncidentsAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		member := env.CreateUser(models.RoleMember, "Mia Member")
		api := env.Bearer(env.APIToken(member))
		viewer := env.Bearer(env.APIToken(env.CreateUser(models.RoleViewer, "")))

		sevs := decode[struct {
			Items []struct{ Name string } `json:"items"`
		}](t, viewer.JSON(http.MethodGet, "/api/v1/severities", "").Expect(t, http.StatusOK))
		if len(sevs.Items) != 4 || sevs.Items[0].Name != "SEV1" {
			t.Fatalf("severities %+v", sevs)
		}

		viewer.JSON(http.MethodPost, "/api/v1/incidents", `{"title": "x", "started_at": "2026-03-01T10:00:00Z"}`).Expect(t, http.StatusForbidden)
		r := api.JSON(http.MethodPost, "/api/v1/incidents", `{"title": "DNS", "started_at": "2026-03-01T10:00:00Z", "detected_at": "2026-03-01T09:00:00Z", "severity": "SEV9"}`).Expect(t, http.StatusUnprocessableEntity)
		prob := decode[struct {
			Errors map[string]string `json:"errors"`
		}](t, r)
		if prob.Errors["severity"] == "" {
			t.Errorf("422 errors %v", prob.Errors)
		}
		r = api.JSON(http.MethodPost, "/api/v1/incidents", `{"title": "DNS", "started_at": "2026-03-01T10:00:00Z", "detected_at": "2026-03-01T09:00:00Z"}`).Expect(t, http.StatusUnprocessableEntity)
		if prob = decode[struct {
			Errors map[string]string `json:"errors"`
		}](t, r); prob.Errors["detected_at"] == "" {
			t.Errorf("422 errors %v", prob.Errors)
		}
		api.JSON(http.MethodPost, "/api/v1/incidents", `{"title": "DNS", "started_at": "yesterday"}`).Expect(t, http.StatusUnprocessableEntity)
		api.JSON(http.MethodPost, "/api/v1/incidents", `{"title": "DNS", "colour": "red"}`).Expect(t, http.StatusBadRequest)

		body := `{"title": "DNS resolution fails", "severity": "SEV2", "started_at": "2026-03-01T12:00:00+02:00",
			"detected_at": "2026-03-01T10:02:00Z", "tags": ["dns"], "summary": "Resolvers **overloaded**.",
			"commander": "` + member.Email + `", "external_source": "alertmanager", "external_id": "fp-123"}`
		r = api.JSON(http.MethodPost, "/api/v1/incidents", body).Expect(t, http.StatusCreated)
		inc := decode[apiInc](t, r)
		if inc.Key != "INC-1" || inc.StartedAt != "2026-03-01T10:00:00Z" || inc.Severity == nil || *inc.Severity != "SEV2" ||
			inc.TimeToDetectSeconds == nil || *inc.TimeToDetectSeconds != 120 || inc.TimeToResolveSeconds != nil ||
			inc.Commander == nil || *inc.Commander != member.Email || inc.Status != "investigating" {
			t.Fatalf("created %s", r.Body)
		}
		if r.Header.Get("Location") != "/api/v1/incidents/INC-1" {
			t.Errorf("location %q", r.Header.Get("Location"))
		}
		// The raw JSON has null durations, not zeros or missing keys.
		var raw map[string]any
		json.Unmarshal([]byte(r.Body), &raw)
		for _, k := range []string{"time_to_acknowledge_seconds", "time_to_mitigate_seconds", "time_to_resolve_seconds", "resolved_at"} {
			if v, ok := raw[k]; !ok || v != nil {
				t.Errorf("%s = %v (present %v), want null", k, v, ok)
			}
		}
		// Sending the same external ID again updates, never duplicates.
		r = api.JSON(http.MethodPost, "/api/v1/incidents", `{"external_source": "alertmanager", "external_id": "fp-123", "status": "identified"}`).Expect(t, http.StatusOK)
		if inc = decode[apiInc](t, r); inc.Key != "INC-1" || inc.Status != "identified" || inc.Version != 2 {
			t.Fatalf("idempotent create %s", r.Body)
		}

		r = api.JSON(http.MethodPatch, "/api/v1/incidents/INC-1", `{"resolved_at": "2026-03-01T11:00:00Z", "status": "resolved", "severity": null, "version": 2}`).Expect(t, http.StatusOK)
		if inc = decode[apiInc](t, r); inc.TimeToResolveSeconds == nil || *inc.TimeToResolveSeconds != 3600 || inc.Severity != nil || inc.Title != "DNS resolution fails" {
			t.Fatalf("patch %s", r.Body)
		}
		r = api.JSON(http.MethodPatch, "/api/v1/incidents/INC-1", `{"title": "stale", "version": 2}`).Expect(t, http.StatusConflict)
		conflict := decode[struct {
			Current apiInc `json:"current"`
		}](t, r)
		if conflict.Current.Version != 3 || conflict.Current.Title != "DNS resolution fails" {
			t.Errorf("409 current %s", r.Body)
		}
		api.JSON(http.MethodPatch, "/api/v1/incidents/INC-1", `{"mitigated_at": "2026-03-01T11:30:00Z"}`).Expect(t, http.StatusUnprocessableEntity)
		viewer.JSON(http.MethodGet, "/api/v1/incidents/INC-404", "").Expect(t, http.StatusNotFound)
		if got := decode[apiInc](t, viewer.JSON(http.MethodGet, "/api/v1/incidents/inc-1", "").Expect(t, http.StatusOK)); got.Key != "INC-1" {
			t.Errorf("get by key %+v", got)
		}

		// Timeline: add (a milestone sets the incident time) and list.
		api.JSON(http.MethodPost, "/api/v1/incidents/INC-1/timeline", `{"occurred_at": "2026-03-01T10:05:00Z", "kind": "milestone", "milestone": "acknowledged", "text": "On it"}`).Expect(t, http.StatusCreated)
		api.JSON(http.MethodPost, "/api/v1/incidents/INC-1/timeline", `{"occurred_at": "2026-03-01T10:01:00Z", "kind": "detection", "text": "Alert"}`).Expect(t, http.StatusCreated)
		api.JSON(http.MethodPost, "/api/v1/incidents/INC-1/timeline", `{"kind": "gossip", "text": ""}`).Expect(t, http.StatusUnprocessableEntity)
		tl := decode[struct {
			Items []struct {
				Kind, Text, Milestone string
				Author                *string
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}](t, viewer.JSON(http.MethodGet, "/api/v1/incidents/INC-1/timeline?limit=1", "").Expect(t, http.StatusOK))
		if len(tl.Items) != 1 || tl.Items[0].Text != "Alert" || tl.NextCursor == "" || tl.Items[0].Author == nil {
			t.Fatalf("timeline page 1 %+v", tl)
		}
		r = viewer.JSON(http.MethodGet, "/api/v1/incidents/INC-1/timeline?limit=1&cursor="+tl.NextCursor, "").Expect(t, http.StatusOK)
		if !strings.Contains(r.Body, `"On it"`) || !strings.Contains(r.Body, `"next_cursor":""`) {
			t.Errorf("timeline page 2 %s", r.Body)
		}
		if inc = decode[apiInc](t, viewer.JSON(http.MethodGet, "/api/v1/incidents/INC-1", "").Expect(t, http.StatusOK)); inc.TimeToAcknowledgeSeconds == nil || *inc.TimeToAcknowledgeSeconds != 300 {
			t.Errorf("milestone did not set acknowledged: %+v", inc)
		}

		// List with filters and cursor paging.
		for i := 0; i < 5; i++ {
			api.JSON(http.MethodPost, "/api/v1/incidents", fmt.Sprintf(`{"title": "Disk %d", "started_at": "2026-02-0%dT10:00:00Z", "tags": ["disk"]}`, i, i+1)).Expect(t, http.StatusCreated)
		}
		type page struct {
			Items      []apiInc `json:"items"`
			NextCursor string   `json:"next_cursor"`
		}
		var keys []string
		cursor := ""
		for n := 0; n < 10; n++ {
			p := decode[page](t, viewer.JSON(http.MethodGet, "/api/v1/incidents?tag=disk&limit=2&cursor="+cursor, "").Expect(t, http.StatusOK))
			for _, i := range p.Items {
				keys = append(keys, i.Title)
			}
			if p.NextCursor == "" {
				break
			}
			cursor = p.NextCursor
		}
		if fmt.Sprint(keys) != "[Disk 4 Disk 3 Disk 2 Disk 1 Disk 0]" {
			t.Errorf("paged list %v", keys)
		}
		p := decode[page](t, viewer.JSON(http.MethodGet, "/api/v1/incidents?status=resolved", "").Expect(t, http.StatusOK))
		if len(p.Items) != 1 || p.Items[0].Key != "INC-1" {
			t.Errorf("status filter %+v", p.Items)
		}
		viewer.JSON(http.MethodGet, "/api/v1/incidents?from=nope", "").Expect(t, http.StatusUnprocessableEntity)
		viewer.JSON(http.MethodGet, "/api/v1/incidents?cursor=garbage", "").Expect(t, http.StatusUnprocessableEntity)
	})
}
