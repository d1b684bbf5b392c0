package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app"
	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/app/live"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

// TestStreamsEndWhenTheirViewerIsRevoked: a retro stream opened before its
// viewer signed out, was disabled or changed role ends within a heartbeat
// with an "ended" event, and nothing written afterwards reaches it.
func TestStreamsEndWhenTheirViewerIsRevoked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db, func(_ *app.Config, d *app.Deps) {
			d.Live = live.Options{Heartbeat: 20 * time.Millisecond}
		})
		admin, _ := env.As(models.RoleAdmin)
		fac, _ := env.As(models.RoleFacilitator)
		path := openRetro(t, fac, url.Values{"title": {"Revocation retro"}, "prompts": {"What happened?"}, "vote_budget": {"2"}})
		s := advance(t, db, fac, path, models.PhaseReflect)
		prompt := itoa(s.Prompts[0].ID)

		revocations := map[string]func(t *testing.T, c *apptest.Client, u *models.User){
			"signed out": func(t *testing.T, c *apptest.Client, _ *models.User) {
				c.Form("/signout", nil).Expect(t, http.StatusSeeOther)
			},
			"disabled": func(t *testing.T, _ *apptest.Client, u *models.User) {
				admin.Form("/admin/users/"+itoa(u.ID), url.Values{"name": {u.Name}, "role": {"member"}, "disabled": {"1"}}).Expect(t, http.StatusSeeOther)
			},
			"role changed": func(t *testing.T, _ *apptest.Client, u *models.User) {
				admin.Form("/admin/users/"+itoa(u.ID), url.Values{"name": {u.Name}, "role": {"viewer"}}).Expect(t, http.StatusSeeOther)
			},
		}
		for name, revoke := range revocations {
			t.Run(name, func(t *testing.T) {
				u := env.CreateUser(models.RoleMember, "Viewer "+strings.ReplaceAll(name, " ", "-"))
				c := env.Client().SignIn(u)
				st := c.Stream(path+"/stream", "")
				st.NextEvent("board")
				revoke(t, c, u)
				st.NextEvent(live.EventEnded)
				if err := st.End(); err == nil {
					t.Fatal("the stream did not end")
				}
				secret := "written after " + name
				htmxPost(fac, path+"/notes", url.Values{"prompt": {prompt}, "text": {secret}}).Expect(t, http.StatusOK)
				if strings.Contains(st.Raw(), secret) {
					t.Fatalf("a revoked stream received %q", secret)
				}
			})
		}

		// A viewer who stays signed in keeps the stream past many heartbeats.
		stay := env.Client().SignIn(env.CreateUser(models.RoleMember, "Steady Viewer"))
		st := stay.Stream(path+"/stream", "")
		st.NextEvent("board")
		for strings.Count(st.Raw(), ": heartbeat\n") < 3 {
			time.Sleep(10 * time.Millisecond)
		}
		if strings.Contains(st.Raw(), "event: "+live.EventEnded) {
			t.Fatal("a signed-in viewer's stream ended")
		}
	})
}
