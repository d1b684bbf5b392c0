package models_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/debrief-sre/debrief/models"
)

func TestParsePagerDutyEvent(t *testing.T) {
	body := `{"event":{"id":"01E","event_type":"incident.triggered","resource_type":"incident",
		"occurred_at":"2026-03-01T10:00:05.5+01:00","data":{"id":"Q1","title":"Checkout down",
		"created_at":"2026-03-01T09:59:00Z","number":7}}}`
	e, err := models.ParsePagerDutyEvent([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if !e.Handled || e.IncidentID() != "Q1" || e.Title() != "Checkout down" {
		t.Fatalf("parsed %+v", e)
	}
	if want := time.Date(2026, 3, 1, 9, 0, 5, 5e8, time.UTC); !e.OccurredAt.Equal(want) || e.OccurredAt.Location() != time.UTC {
		t.Errorf("occurred %v, want %v in UTC", e.OccurredAt, want)
	}
	if want := time.Date(2026, 3, 1, 9, 59, 0, 0, time.UTC); !e.CreatedAt.Equal(want) {
		t.Errorf("created %v, want %v", e.CreatedAt, want)
	}

	other, err := models.ParsePagerDutyEvent([]byte(`{"event":{"id":"2","event_type":"service.updated","occurred_at":"2026-03-01T10:00:00Z","data":[]}}`))
	if err != nil || other.Handled {
		t.Fatalf("an event type Debrief ignores: %+v, %v", other, err)
	}

	for name, bad := range map[string]string{
		"not JSON":      `{`,
		"no event":      `{"x":1}`,
		"no id":         `{"event":{"event_type":"incident.triggered","occurred_at":"2026-03-01T10:00:00Z"}}`,
		"bad time":      `{"event":{"id":"1","event_type":"incident.triggered","occurred_at":"yesterday"}}`,
		"data not obj":  `{"event":{"id":"1","event_type":"incident.resolved","occurred_at":"2026-03-01T10:00:00Z","data":"x"}}`,
		"blank title":   `{"event":{"id":"1","event_type":"incident.resolved","occurred_at":"2026-03-01T10:00:00Z","data":{"id":"Q","title":"  "}}}`,
		"no incidentid": `{"event":{"id":"1","event_type":"incident.resolved","occurred_at":"2026-03-01T10:00:00Z","data":{"title":"t"}}}`,
	} {
		if _, err := models.ParsePagerDutyEvent([]byte(bad)); !errors.Is(err, models.ErrMalformedWebhook) {
			t.Errorf("%s: err %v, want ErrMalformedWebhook", name, err)
		}
	}
}

// FuzzParsePagerDutyEvent feeds the webhook parser arbitrary bodies: it
// never panics, refuses with ErrMalformedWebhook only, and whatever it
// accepts carries what the database write relies on.
func FuzzParsePagerDutyEvent(f *testing.F) {
	for _, s := range []string{
		`{"event":{"id":"01E","event_type":"incident.triggered","occurred_at":"2026-03-01T10:00:00Z","data":{"id":"Q1","title":"Down","created_at":"2026-03-01T09:59:00Z","service":{"summary":"api"},"priority":{"summary":"P1"},"urgency":"high","html_url":"https://x.pagerduty.com/incidents/Q1"}}}`,
		`{"event":{"id":"2","event_type":"incident.acknowledged","occurred_at":"2026-03-01T10:00:00.123456789-07:00","agent":{"summary":"Ana"},"data":{"id":"Q1","title":"Down"}}}`,
		`{"event":{"id":"3","event_type":"incident.resolved","occurred_at":"2026-03-01T10:00:00Z","data":{"id":"Q1","title":"Down","created_at":"nonsense"}}}`,
		`{"event":{"id":"4","event_type":"pagey.ping","occurred_at":"2026-03-01T10:00:00Z"}}`,
		`{"event":null}`, `[]`, `{"event":{"id":"","event_type":"x"}}`, `{"event":{"id":"1","event_type":"incident.triggered","occurred_at":"0000-01-01T00:00:00Z","data":{"id":"1","title":"\u0000"}}}`,
	} {
		f.Add([]byte(s))
	}
	handled := map[string]bool{"incident.triggered": true, "incident.acknowledged": true, "incident.resolved": true}
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := models.ParsePagerDutyEvent(body)
		if err != nil {
			if !errors.Is(err, models.ErrMalformedWebhook) {
				t.Fatalf("error %v is not ErrMalformedWebhook", err)
			}
			return
		}
		if e.ID == "" || e.EventType == "" {
			t.Fatalf("accepted an event without id or type: %+v", e)
		}
		if e.OccurredAt.Location() != time.UTC || e.CreatedAt.Location() != time.UTC {
			t.Fatalf("times not in UTC: %v %v", e.OccurredAt, e.CreatedAt)
		}
		if e.Handled != handled[e.EventType] {
			t.Fatalf("handled %v for %q", e.Handled, e.EventType)
		}
		if e.Handled && (e.IncidentID() == "" || strings.TrimSpace(e.Title()) == "") {
			t.Fatalf("handled event without incident id or title: %+v", e)
		}
	})
}
