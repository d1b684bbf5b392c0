package models

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// The phases of a retro, in order. Only the facilitator moves a session,
// one phase at a time, by compare-and-set on the phase it is in.
const (
	PhaseStage    = "stage"    // set the stage: goal, ground rules, set-up
	PhaseReview   = "review"   // open action items of earlier retros and reviews
	PhaseTimeline = "timeline" // walk the incident's timeline, propose what is missing
	PhaseReflect  = "reflect"  // private notes per prompt
	PhaseGroup    = "group"    // group the revealed notes into themes
	PhaseVote     = "vote"     // a budget of votes per person
	PhaseDiscuss  = "discuss"  // findings and contributing factors per theme
	PhaseActions  = "actions"  // action items with owners and due dates
	PhaseClose    = "close"    // the closing summary
	PhaseClosed   = "closed"   // over: the summary is part of the postmortem
)

// allPhases lists every phase in order.
var allPhases = []string{PhaseStage, PhaseReview, PhaseTimeline, PhaseReflect, PhaseGroup, PhaseVote, PhaseDiscuss, PhaseActions, PhaseClose, PhaseClosed}

// PhaseLabel names a phase for people.
func PhaseLabel(p string) string {
	switch p {
	case PhaseStage:
		return "Set the stage"
	case PhaseReview:
		return "Review past actions"
	case PhaseTimeline:
		return "Walk the timeline"
	case PhaseReflect:
		return "Reflect"
	case PhaseGroup:
		return "Group"
	case PhaseVote:
		return "Vote"
	case PhaseDiscuss:
		return "Discuss"
	case PhaseActions:
		return "Action items"
	case PhaseClose:
		return "Close"
	case PhaseClosed:
		return "Closed"
	}
	return p
}

func phaseIndex(p string) int { return slices.Index(allPhases, p) }

// Phases are the phases this session passes through: a session without an
// incident has no timeline to walk.
func (s *RetroSession) Phases() []string {
	if s.PostmortemID != nil {
		return allPhases
	}
	out := make([]string, 0, len(allPhases)-1)
	for _, p := range allPhases {
		if p != PhaseTimeline {
			out = append(out, p)
		}
	}
	return out
}

// NextPhase is the phase after the current one ("" when closed).
func (s *RetroSession) NextPhase() string {
	ps := s.Phases()
	if i := slices.Index(ps, s.Phase); i >= 0 && i+1 < len(ps) {
		return ps[i+1]
	}
	return ""
}

// PrevPhase is the phase before the current one ("" in the first phase
// and once closed: a closed retro does not reopen).
func (s *RetroSession) PrevPhase() string {
	ps := s.Phases()
	if i := slices.Index(ps, s.Phase); i > 0 && s.Phase != PhaseClosed {
		return ps[i-1]
	}
	return ""
}

// PhaseAtLeast reports whether the session is in phase p or later.
func (s *RetroSession) PhaseAtLeast(p string) bool { return phaseIndex(s.Phase) >= phaseIndex(p) }

// requirePhase returns the session if it is in one of the phases, an
// StateError saying when the action is possible otherwise.
func requirePhase(ctx context.Context, tx *gorm.DB, sessionID int64, what string, phases ...string) (*RetroSession, error) {
	s, err := getRetroRow(ctx, tx, sessionID)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(phases, s.Phase) {
		labels := make([]string, 0, len(phases))
		for _, p := range phases {
			labels = append(labels, PhaseLabel(p))
		}
		return nil, StateErrorf("%s only in the phase %s (the retro is in %s).", what,
			strings.Join(labels, " or "), PhaseLabel(s.Phase))
	}
	return s, nil
}

// phaseMovedOn tells someone whose page was a phase behind what happened.
func phaseMovedOn(s *RetroSession) string {
	return "The retro is in “" + PhaseLabel(s.Phase) + "” already; your page has caught up."
}
