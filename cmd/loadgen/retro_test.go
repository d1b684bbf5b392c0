package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/apptest"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/models/dbtest"
)

func TestRetroScenarioDeliversEveryNoteToEverySubscriber(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := apptest.New(t, db)
		fay := env.CreateUser(models.RoleFacilitator, "Fay Facilitator")
		var rep SSEReport
		out := loadgen(t, "-base", env.Server.URL, "-scenario", "retro", "-subscribers", "5", "-events", "3",
			"-interval", "0", "-email", fay.Email, "-password", apptest.Password)
		if err := json.Unmarshal(out, &rep); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(rep.Stream, "/retros/") || rep.Deliveries != 15 || rep.Missing != 0 || rep.AllLatency.Count != 3 {
			t.Fatalf("report %+v", rep)
		}
		// The notes are in the session, in reflection.
		list, err := models.ListRetros(context.Background(), db, models.RetroFilter{Open: true})
		if err != nil || len(list) != 1 || list[0].Phase != models.PhaseReflect {
			t.Fatalf("sessions %+v, %v", list, err)
		}
		b, err := models.LoadRetroBoard(context.Background(), db, list[0].ID)
		if err != nil || b.NoteCount() != 3 {
			t.Fatalf("notes %d, %v", b.NoteCount(), err)
		}
	})
}
