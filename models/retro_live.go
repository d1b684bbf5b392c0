package models

import (
	"context"
	"strconv"

	"gorm.io/gorm"
)

// RetroTopic is the live topic of a retro session ("retro:42"): every
// write of the session publishes one of the RetroEvent kinds on it.
func RetroTopic(sessionID int64) string { return "retro:" + strconv.FormatInt(sessionID, 10) }

// Live event kinds of a retro. Events name what changed and the changed
// object's id; each viewer's stream renders the regions that show it, for
// that viewer.
const (
	RetroEventPhase    = "retro.phase"    // the phase moved or the retro closed (id 0)
	RetroEventTimer    = "retro.timer"    // the countdown was set (id 0)
	RetroEventReady    = "retro.ready"    // a participant is ready or not (id: the user)
	RetroEventSettings = "retro.settings" // the set-up changed (id 0)
	RetroEventReveal   = "retro.reveal"   // the notes were revealed (id 0)
	RetroEventNote     = "retro.note"     // a note was added, edited or removed (id: the note)
	RetroEventGroup    = "retro.group"    // a theme was made or removed, or a note grouped (id: the theme or note)
	RetroEventVote     = "retro.vote"     // a vote was cast or withdrawn (id: the theme)
	RetroEventProposal = "retro.proposal" // a timeline event was proposed or decided (id: the proposal)
	RetroEventFactor   = "retro.factor"   // a finding or factor was recorded (id: the factor)
	RetroEventAction   = "retro.action"   // an action item was added (id: the item)
)

// retroWrite runs write in a live transaction of lt and, when it
// succeeds, publishes kind on the session's topic in the same transaction
// with the id that id returns then (nil: 0). A refused write publishes
// nothing.
func retroWrite(ctx context.Context, lt LiveTx, sessionID int64, kind string, id func() int64, write func(tx *gorm.DB) error) error {
	return lt.Transaction(ctx, func(tx *gorm.DB, ev LiveEvents) error {
		if err := write(tx.WithContext(ctx)); err != nil {
			return err
		}
		var obj int64
		if id != nil {
			obj = id()
		}
		return ev.Publish(RetroTopic(sessionID), kind, obj)
	})
}
