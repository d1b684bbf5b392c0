package models_test

import (
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func at(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func sev(t *testing.T, db *gorm.DB, name string) *int64 {
	t.Helper()
	s, err := models.GetSeverityByName(ctx, db, name)
	if err != nil {
		t.Fatal(err)
	}
	return &s.ID
}

func TestDefaultSeveritiesAreSeeded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		list, err := models.ListSeverities(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, s := range list {
			names = append(names, s.Name)
			if s.CreatedAt.IsZero() || s.Description == "" {
				t.Errorf("%s: created_at %v, description %q", s.Name, s.CreatedAt, s.Description)
			}
		}
		if len(names) != 4 || names[0] != "SEV1" || names[3] != "SEV4" {
			t.Fatalf("severities %v, want SEV1…SEV4 by rank", names)
		}
	})
}

func TestSeverityRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		admin := models.SystemActor("test")
		_, err := models.CreateSeverity(ctx, db, admin, models.SeverityInput{Name: "sev1", Rank: 7, Color: "red"})
		if ve, ok := models.AsValidation(err); !ok || ve.Fields["name"] == "" {
			t.Fatalf("duplicate name (any case): %v", err)
		}
		_, err = models.CreateSeverity(ctx, db, admin, models.SeverityInput{Name: "SEV0", Rank: 1, Color: "pink"})
		if ve, ok := models.AsValidation(err); !ok || ve.Fields["color"] == "" {
			t.Fatalf("bad colour: %v", err)
		}
		_, err = models.CreateSeverity(ctx, db, admin, models.SeverityInput{Name: "SEV0", Rank: 1, Color: "red"})
		if ve, ok := models.AsValidation(err); !ok || ve.Fields["rank"] == "" {
			t.Fatalf("duplicate rank: %v", err)
		}
		s, err := models.CreateSeverity(ctx, db, admin, models.SeverityInput{Name: "SEV5", Rank: 5, Color: "slate", Description: "Cosmetic."})
		if err != nil {
			t.Fatal(err)
		}
		up, err := models.UpdateSeverity(ctx, db, admin, s.ID, s.Version, models.SeverityInput{Name: "SEV5", Rank: 6, Color: "teal"})
		if err != nil || up.Rank != 6 || up.Version != 2 {
			t.Fatalf("update: %+v %v", up, err)
		}
		var ce *models.ConflictError
		if _, err := models.UpdateSeverity(ctx, db, admin, s.ID, 1, models.SeverityInput{Name: "SEV5", Rank: 6, Color: "teal"}); !errors.As(err, &ce) {
			t.Fatalf("stale version: %v", err)
		}
		// A severity in use cannot be deleted.
		if _, err := models.CreateIncident(ctx, db, admin, models.IncidentInput{Title: "Disk full", SeverityID: &s.ID, StartedAt: at("2026-03-01T10:00:00Z")}); err != nil {
			t.Fatal(err)
		}
		if err := models.DeleteSeverity(ctx, db, admin, s.ID); !errors.Is(err, models.ErrInvalidState) {
			t.Fatalf("delete used severity: %v", err)
		}
		if err := models.DeleteSeverity(ctx, db, admin, *sev(t, db, "SEV4")); err != nil {
			t.Fatalf("delete unused severity: %v", err)
		}
	})
}

// TestIncidentTimestampValidation: no timestamp may be earlier than
// started, resolved not earlier than mitigated; each violation is a field
// error, and a valid set is stored as UTC.
func TestIncidentTimestampValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		actor := models.SystemActor("test")
		base := models.IncidentInput{Title: "  Checkout   errors ", StartedAt: at("2026-03-01T10:00:00Z")}

		in := base
		in.StartedAt = nil
		_, err := models.CreateIncident(ctx, db, actor, in)
		if ve, ok := models.AsValidation(err); !ok || ve.Fields["started_at"] == "" {
			t.Fatalf("missing started: %v", err)
		}

		in = base
		in.DetectedAt = at("2026-03-01T09:59:00Z")
		in.AcknowledgedAt = at("2026-03-01T09:00:00Z")
		in.MitigatedAt = at("2026-03-01T11:00:00Z")
		in.ResolvedAt = at("2026-03-01T10:30:00Z")
		_, err = models.CreateIncident(ctx, db, actor, in)
		ve, ok := models.AsValidation(err)
		if !ok {
			t.Fatalf("want a validation error, got %v", err)
		}
		for _, f := range []string{"detected_at", "acknowledged_at", "resolved_at"} {
			if ve.Fields[f] == "" {
				t.Errorf("no error on %s: %v", f, ve.Fields)
			}
		}
		if ve.Fields["mitigated_at"] != "" {
			t.Errorf("mitigated after started is fine: %v", ve.Fields["mitigated_at"])
		}

		in = base
		in.ResolvedAt = at("2026-03-01T09:00:00Z")
		in.MitigatedAt = nil
		if _, err := models.CreateIncident(ctx, db, actor, in); err == nil {
			t.Fatal("resolved before started was accepted")
		}

		in = base
		berlin, _ := time.LoadLocation("Europe/Berlin")
		detected := time.Date(2026, 3, 1, 11, 5, 0, 0, berlin) // 10:05 UTC
		in.DetectedAt = &detected
		in.MitigatedAt = at("2026-03-01T10:40:00Z")
		in.ResolvedAt = at("2026-03-01T10:40:00Z")
		inc, err := models.CreateIncident(ctx, db, actor, in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := models.GetIncidentByKey(ctx, db, inc.Key())
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "Checkout errors" || got.Status != models.StatusInvestigating || got.Key() != "INC-1" {
			t.Errorf("stored %q %s %s", got.Title, got.Status, got.Key())
		}
		if !got.DetectedAt.Equal(detected) {
			t.Errorf("detected stored as %v", got.DetectedAt)
		}

		// Updates obey the same rules, reported per field.
		up := models.InputOf(got)
		up.MitigatedAt = at("2026-03-01T09:00:00Z")
		_, err = models.UpdateIncident(ctx, db, actor, got.ID, got.Version, up)
		if ve, ok := models.AsValidation(err); !ok || ve.Fields["mitigated_at"] == "" {
			t.Fatalf("update with mitigated before started: %v", err)
		}
	})
}

// TestDurationsWithMissingValues: each duration is timestamp − started, and
// undefined (nil, not zero) when its timestamp is missing.
func TestDurationsWithMissingValues(t *testing.T) {
	inc := models.Incident{StartedAt: *at("2026-03-01T10:00:00Z"), DetectedAt: at("2026-03-01T10:04:30Z"), ResolvedAt: at("2026-03-01T12:00:00Z")}
	d := inc.Durations()
	if d.Detect == nil || *d.Detect != 4*time.Minute+30*time.Second {
		t.Errorf("detect %v", d.Detect)
	}
	if d.Acknowledge != nil || d.Mitigate != nil {
		t.Errorf("missing timestamps gave %v %v, want undefined", d.Acknowledge, d.Mitigate)
	}
	if d.Resolve == nil || *d.Resolve != 2*time.Hour {
		t.Errorf("resolve %v", d.Resolve)
	}
	if s := models.Seconds(d.Detect); s == nil || *s != 270 {
		t.Errorf("seconds %v", s)
	}
	if models.Seconds(d.Mitigate) != nil {
		t.Error("undefined duration has seconds")
	}
	// Detected at the very moment it started is a real zero, not undefined.
	zero := models.Incident{StartedAt: *at("2026-03-01T10:00:00Z"), DetectedAt: at("2026-03-01T10:00:00Z")}
	if d := zero.Durations().Detect; d == nil || *d != 0 {
		t.Errorf("zero duration: %v", d)
	}
}

func TestIncidentUpdateTracksChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		actor := models.SystemActor("test")
		inc, err := models.CreateIncident(ctx, db, actor, models.IncidentInput{
			Title: "Queue backlog", StartedAt: at("2026-03-01T10:00:00Z"), SeverityID: sev(t, db, "SEV2"),
			Tags: []string{"Queue", "queue", "  capacity "}, Links: []models.Link{{URL: "https://chat.example.com/c/1", Kind: "chat"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := models.GetIncident(ctx, db, inc.ID)
		if tags := got.TagNames(); len(tags) != 2 || tags[0] != "capacity" || tags[1] != "queue" {
			t.Fatalf("tags %v", tags)
		}
		if got.Severity == nil || got.Severity.Name != "SEV2" || len(got.Links) != 1 {
			t.Fatalf("severity %v links %v", got.Severity, got.Links)
		}
		// No-op update keeps the version.
		same, err := models.UpdateIncident(ctx, db, actor, got.ID, got.Version, models.InputOf(got))
		if err != nil || same.Version != 1 {
			t.Fatalf("no-op update: version %d %v", same.Version, err)
		}
		in := models.InputOf(got)
		in.Status = models.StatusResolved
		in.ResolvedAt = at("2026-03-01T11:00:00Z")
		in.Tags = []string{"capacity"}
		up, err := models.UpdateIncident(ctx, db, actor, got.ID, got.Version, in)
		if err != nil || up.Version != 2 || len(up.Tags) != 1 || up.Status != models.StatusResolved {
			t.Fatalf("update: %+v %v", up, err)
		}
		var ce *models.ConflictError
		if _, err := models.UpdateIncident(ctx, db, actor, got.ID, 1, in); !errors.As(err, &ce) {
			t.Fatalf("stale update: %v", err)
		}
		entries, _ := models.ListAudit(ctx, db, models.AuditFilter{ObjectType: "incident"})
		if len(entries) != 2 || entries[0].ChangeMap()["status"].To != "resolved" {
			t.Fatalf("audit %+v", entries)
		}
	})
}

func TestParseIncidentKey(t *testing.T) {
	for in, want := range map[string]int64{"INC-42": 42, "inc-7": 7, "12": 12, " INC-3 ": 3} {
		if n, ok := models.ParseIncidentKey(in); !ok || n != want {
			t.Errorf("%q: %d %v", in, n, ok)
		}
	}
	for _, bad := range []string{"", "INC-", "INC-0", "INC--1", "BUG-4", "INC-x"} {
		if _, ok := models.ParseIncidentKey(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}

// TestEachIncidentBatchPagesThroughTies pages with a small batch over
// incidents that share a start time: keyset paging must neither skip nor
// repeat any.
func TestEachIncidentBatchPagesThroughTies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		for i := 0; i < 20; i++ {
			start := "2026-03-01T10:00:00Z"
			if i%3 == 0 {
				start = "2026-03-02T10:00:00.5Z"
			}
			if _, err := models.CreateIncident(ctx, db, models.SystemActor("test"), models.IncidentInput{Title: "x", StartedAt: at(start)}); err != nil {
				t.Fatal(err)
			}
		}
		seen := map[int64]bool{}
		var order []int64
		err := models.EachIncidentBatch(ctx, db, models.IncidentFilter{}, 7, func(list []models.Incident) error {
			for _, i := range list {
				if seen[i.ID] {
					t.Errorf("incident %d twice", i.ID)
				}
				seen[i.ID] = true
				order = append(order, i.Number)
			}
			return nil
		})
		if err != nil || len(seen) != 20 {
			t.Fatalf("%d incidents, %v", len(seen), err)
		}
		if order[0] != 19 || order[6] != 1 || order[7] != 20 {
			t.Errorf("order %v", order)
		}
	})
}

// TestSearchMatchesWordsAndFollowsEdits: the search index (FTS5 or GIN)
// finds words and word beginnings in title, summary, impact and external
// ID, and follows edits.
func TestSearchMatchesWordsAndFollowsEdits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		actor := models.SystemActor("test")
		a, _ := models.CreateIncident(ctx, db, actor, models.IncidentInput{Title: "Certificate expired on the edge proxies", StartedAt: at("2026-03-01T10:00:00Z"),
			Summary: "The *renewal* job had failed silently.", Impact: "HTTPS errors in eu-west-1.", ExternalSource: "jira", ExternalID: "OPS-1234"})
		models.CreateIncident(ctx, db, actor, models.IncidentInput{Title: "Database failover", StartedAt: at("2026-03-02T10:00:00Z"), Summary: "Primary lost its disk."})
		count := func(q string) int64 {
			n, err := models.CountIncidents(ctx, db, models.IncidentFilter{Query: q})
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			return n
		}
		for q, want := range map[string]int64{
			"certificate": 1, "CERT": 1, "cert prox": 1, "renewal": 1, "eu-west": 1, "ops-1234": 1, "failover": 1,
			"disk": 1, "certificate disk": 0, "INC-2": 1, "2": 1, "%%": 0, "zebra": 0, "Ünïcode": 0,
		} {
			if got := count(q); got != want {
				t.Errorf("search %q: %d, want %d", q, got, want)
			}
		}
		in := models.InputOf(a)
		in.Title = "TLS chain incomplete"
		if _, err := models.UpdateIncident(ctx, db, actor, a.ID, a.Version, in); err != nil {
			t.Fatal(err)
		}
		if count("tls") != 1 || count("certificate") != 0 {
			t.Errorf("after the edit: tls %d, certificate %d", count("tls"), count("certificate"))
		}
	})
}
