package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestAdminCannotPointWebhooksAtPrivateAddresses: the notification
// settings refuse the cloud metadata service and loopback with 422 at the
// field; DEBRIEF_WEBHOOK_ALLOW_PRIVATE lets them through.
func TestAdminCannotPointWebhooksAtPrivateAddresses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		env := apptest.New(t, db)
		admin, _ := env.As(models.RoleAdmin)
		team, err := models.CreateTeam(ctx, db, testActor, models.NewTeam{Name: "Storage", Slug: "storage"})
		if err != nil {
			t.Fatal(err)
		}
		path := "/admin/notifications/teams/" + strconv.FormatInt(team.ID, 10)
		r := admin.Form(path, url.Values{
			"slack_webhook_url": {"http://169.254.169.254/latest/meta-data/"},
			"webhook_url":       {"http://127.0.0.1:6379/"},
		}).Expect(t, http.StatusUnprocessableEntity)
		form := r.Doc(t).Find(apptest.TestID("team-targets-storage"))
		for _, f := range []string{"slack_webhook_url", "webhook_url"} {
			if form.Find(apptest.TestID("error-"+f)).Length() != 1 {
				t.Errorf("no error at %s:\n%s", f, form.Text())
			}
		}
		if got, _ := models.GetTeam(ctx, db, team.ID); got.SlackWebhookURL != nil || got.WebhookURL != nil {
			t.Fatalf("stored %+v", got)
		}

		open := apptest.New(t, db, apptest.AllowPrivateWebhooks())
		openAdmin, _ := open.As(models.RoleAdmin)
		openAdmin.Form(path, url.Values{"webhook_url": {"http://10.1.2.3/hook"}}).Expect(t, http.StatusSeeOther)
	})
}
