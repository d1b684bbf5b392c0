package models

import "slices"

// Action item statuses. done and wont_do are closed.
const (
	ActionOpen       = "open"
	ActionInProgress = "in_progress"
	ActionBlocked    = "blocked"
	ActionDone       = "done"
	ActionWontDo     = "wont_do"
)

// ActionStatuses lists the statuses in their natural order.
// Each call returns a fresh copy.
func ActionStatuses() []string { return slices.Clone(actionStatuses) }

var actionStatuses = []string{ActionOpen, ActionInProgress, ActionBlocked, ActionDone, ActionWontDo}

// ActionStatusLabel is the human name of a status.
func ActionStatusLabel(s string) string {
	switch s {
	case ActionOpen:
		return "Open"
	case ActionInProgress:
		return "In progress"
	case ActionBlocked:
		return "Blocked"
	case ActionDone:
		return "Done"
	case ActionWontDo:
		return "Won't do"
	}
	return s
}

// ActionClosed reports whether a status ends the item's work.
func ActionClosed(status string) bool { return status == ActionDone || status == ActionWontDo }

// Priorities of action items.
const (
	PriorityLow    = "low"
	PriorityMedium = "medium"
	PriorityHigh   = "high"
)

// Priorities lists the priorities, lowest first.
// Each call returns a fresh copy.
func Priorities() []string { return slices.Clone(priorities) }

var priorities = []string{PriorityLow, PriorityMedium, PriorityHigh}

// Where an action item came from.
const (
	SourceReview     = "review"
	SourceFinding    = "finding"
	SourcePostmortem = "postmortem"
	SourceRetro      = "retro"
	SourceManual     = "manual"
)

// SourceKinds lists every source kind.
// Each call returns a fresh copy.
func SourceKinds() []string { return slices.Clone(sourceKinds) }

var sourceKinds = []string{SourceReview, SourceFinding, SourcePostmortem, SourceRetro, SourceManual}

// openActionStatuses are the statuses of work not yet finished.
var openActionStatuses = []string{ActionOpen, ActionInProgress, ActionBlocked}
