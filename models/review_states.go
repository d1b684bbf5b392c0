package models

// Review statuses: draft → in progress → in review (awaiting sign-off) →
// completed → archived. A draft may also be archived (cancelled).
const (
	ReviewDraft      = "draft"
	ReviewInProgress = "in_progress"
	ReviewInReview   = "in_review"
	ReviewCompleted  = "completed"
	ReviewArchived   = "archived"
)

// Sign-off decisions.
const (
	DecisionReady               = "ready"
	DecisionReadyWithConditions = "ready_with_conditions"
	DecisionNotReady            = "not_ready"
)

// decisions lists the sign-off decisions.
var decisions = []string{DecisionReady, DecisionReadyWithConditions, DecisionNotReady}

// Review actions (transitions).
const (
	ActionStart    = "start"
	ActionSubmit   = "submit"
	ActionReopen   = "reopen"
	ActionComplete = "complete"
	ActionArchive  = "archive"
)

// reviewTransitions maps action → allowed from-statuses and the target.
var reviewTransitions = map[string]struct {
	from []string
	to   string
}{
	ActionStart:    {[]string{ReviewDraft}, ReviewInProgress},
	ActionSubmit:   {[]string{ReviewInProgress}, ReviewInReview},
	ActionReopen:   {[]string{ReviewInReview}, ReviewInProgress},
	ActionComplete: {[]string{ReviewInReview}, ReviewCompleted},
	ActionArchive:  {[]string{ReviewDraft, ReviewCompleted}, ReviewArchived},
}
