package notify_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/app/jobs/jobstest"
	"github.com/debrief-sre/debrief/app/notify"
	"github.com/debrief-sre/debrief/app/notify/notifytest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// postToTeam gives a team a Slack URL (stored as is, past the save-time
// check: as a name that resolved to a public address when it was saved
// and to a private one now would be), sends it a message with a worker
// configured by allowPrivate, and returns the delivery afterwards.
func postToTeam(t *testing.T, db *gorm.DB, allowPrivate bool, target string) *models.Delivery {
	t.Helper()
	ctx := context.Background()
	w := river.NewWorkers()
	notify.AddWorkers(w, notify.Config{DB: db, Logger: apptest.TestLogger(t), AllowPrivate: allowPrivate})
	q := jobstest.New(t, db, w, nil)
	team, err := models.CreateTeam(ctx, db, sys, models.NewTeam{Name: "Hooks", Slug: "hooks"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Model(&models.Team{}).Where("id = ?", team.ID).Update("slack_webhook_url", target).Error; err != nil {
		t.Fatal(err)
	}
	team, _ = models.GetTeam(ctx, db, team.ID)
	ds, err := notify.ToTeam(ctx, db, q, team, notify.Message{Key: "hook-test", Kind: models.DeliveryKindTest, Subject: "Hello"})
	if err != nil || len(ds) != 1 {
		t.Fatalf("enqueue: %v %d", err, len(ds))
	}
	jobstest.Drain(t, q)
	d, err := models.GetDelivery(ctx, db, ds[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestWebhookDialRefusesPrivateAddress: a stored URL whose name now points
// at a loopback address is refused when the connection is made.
func TestWebhookDialRefusesPrivateAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		rcv := notifytest.NewReceiver(t)
		u, _ := url.Parse(rcv.URL)
		target := "http://localhost:" + u.Port() + "/hook" // resolves to 127.0.0.1 or ::1
		d := postToTeam(t, db, false, target)
		if len(rcv.Posts()) != 0 {
			t.Fatal("the webhook reached a loopback receiver")
		}
		if d.Status != models.DeliveryFailed || !strings.Contains(d.LastError, "private") || d.Attempts != 1 {
			t.Fatalf("delivery %s after %d attempts: %q", d.Status, d.Attempts, d.LastError)
		}
	})
}

// TestWebhookRedirectIsNotFollowed: a receiver that answers with a
// redirect (to the metadata service, say) is not followed.
func TestWebhookRedirectIsNotFollowed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		inner := notifytest.NewReceiver(t)
		redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, inner.URL+"/latest/meta-data/", http.StatusTemporaryRedirect)
		}))
		t.Cleanup(redirector.Close)
		d := postToTeam(t, db, true, redirector.URL+"/hook")
		if len(inner.Posts()) != 0 {
			t.Fatal("the redirect was followed")
		}
		if d.Status != models.DeliveryFailed || !strings.Contains(d.LastError, "307") {
			t.Fatalf("delivery %s: %q", d.Status, d.LastError)
		}
	})
}

// TestWebhookResponseBodyIsNotShown: what a receiver answers stays out of
// the delivery's error, which admins see.
func TestWebhookResponseBodyIsNotShown(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		leaky := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"wJalrXUtnFEMI"}`))
		}))
		t.Cleanup(leaky.Close)
		d := postToTeam(t, db, true, leaky.URL+"/hook")
		if strings.Contains(d.LastError, "SecretAccessKey") || strings.Contains(d.LastError, "ASIA") {
			t.Fatalf("the receiver's answer is shown: %q", d.LastError)
		}
		if d.Status != models.DeliveryFailed || !strings.Contains(d.LastError, "400") {
			t.Fatalf("delivery %s: %q", d.Status, d.LastError)
		}
	})
}
