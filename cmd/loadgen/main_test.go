package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func loadgen(t *testing.T, args ...string) []byte {
	t.Helper()
	var out, errb bytes.Buffer
	if err := run(context.Background(), append(args, "-json"), &out, &errb); err != nil {
		t.Fatalf("loadgen %v: %v\n%s", args, err, errb.String())
	}
	return out.Bytes()
}

func TestHTTPScenarioMeasuresSignedInPagesAndHealth(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		ada := env.CreateUser(models.RoleViewer, "Ada Viewer")
		var rep HTTPReport
		out := loadgen(t, "-base", env.Server.URL, "-scenario", "http", "-paths", "/,/healthz",
			"-c", "2", "-d", "300ms", "-n", "200", "-email", ada.Email, "-password", apptest.Password)
		if err := json.Unmarshal(out, &rep); err != nil {
			t.Fatal(err)
		}
		if len(rep.Results) != 2 || rep.Results[0].Path != "/" || rep.Results[1].Path != "/healthz" {
			t.Fatalf("report %+v", rep)
		}
		for _, r := range rep.Results {
			// Signed in: the home page answers 200, not a redirect.
			if r.Requests == 0 || r.Requests > 200 || r.Errors != 0 || r.Statuses["200"] != r.Requests || r.Latency.P99 < r.Latency.P50 {
				t.Fatalf("%s: %+v", r.Path, r)
			}
		}
	})
}

func TestSSEScenarioDeliversEveryEventToEverySubscriber(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		// A fresh Debrief: loadgen creates its admin through first-run setup.
		var rep SSEReport
		out := loadgen(t, "-base", env.Server.URL, "-scenario", "sse", "-subscribers", "5", "-events", "3",
			"-interval", "0", "-event", "ping", "-email", "loadgen@example.com", "-password", apptest.Password)
		if err := json.Unmarshal(out, &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Deliveries != 15 || rep.Missing != 0 || rep.Latency.Count != 15 || rep.AllLatency.Count != 3 {
			t.Fatalf("report %+v", rep)
		}
		if rep.Memory.RSSAfter == 0 || rep.Memory.GoroutinesAfter == 0 {
			t.Fatalf("memory not scraped: %+v", rep.Memory)
		}
		// Every stream was closed again.
		if st := env.App.Live().Stats(); st.Published < 3 {
			t.Fatalf("stats %+v", st)
		}
	})
}

func TestRefusesRemoteTargetsAndBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-base", "http://10.1.2.3:8080"},
		{"-base", "http://example.com"},
		{"-scenario", "soak"},
		{"-scenario", "sse"},
		{"-c", "0"},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), args, &out, &errb)
		if !errors.As(err, new(usageError)) {
			t.Errorf("%v: err %v, want a usage error", args, err)
		}
	}
}
