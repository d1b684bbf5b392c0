package models

import (
	"slices"
	"time"
)

// FollowThrough is every figure of the dashboard for one scope.
type FollowThrough struct {
	Scope FollowThroughScope
	Today Date
	Now   time.Time

	// Open items (open, in progress or blocked) right now; Overdue those
	// due before today; DueIn7/DueIn30 those due from today through
	// today + 7 / + 30 days.
	Open, Overdue, DueIn7, DueIn30 int64
	// Aging sorts the open items by days since they were created.
	Aging []AgingBucket
	// Completion is how the items due in the period met their due date.
	Completion Completion
	// Closing is about the items closed in the period.
	Closing Closing
	// Trend counts open and overdue items at the start of each week of the
	// period (and now, when the period reaches today).
	Trend []TrendPoint
	// BySeverity is the follow-through of postmortem and retro items
	// created in the period, per severity of their incident.
	BySeverity []SeverityFollowThrough
	// Breakdown is per team or owner (BreakdownBy), most overdue first;
	// only from ComputeFollowThroughBy.
	BreakdownBy string
	Breakdown   []FollowThroughRow
}

// AgingBucket is a range of ages of open items, in whole days since
// creation: Min ≤ age ≤ Max (no upper bound when Max < 0).
type AgingBucket struct {
	Key      string
	Label    string
	Min, Max int
	Count    int64
}

// AgingBuckets are the age ranges of the dashboard.
// Each call returns a fresh copy.
func AgingBuckets() []AgingBucket { return slices.Clone(agingBuckets) }

var agingBuckets = []AgingBucket{
	{Key: "0-6", Label: "Under a week", Min: 0, Max: 6},
	{Key: "7-29", Label: "1–4 weeks", Min: 7, Max: 29},
	{Key: "30-89", Label: "1–3 months", Min: 30, Max: 89},
	{Key: "90-179", Label: "3–6 months", Min: 90, Max: 179},
	{Key: "180-", Label: "Over 6 months", Min: 180, Max: -1},
}

// Completion counts the items due in the period by outcome.
type Completion struct {
	Due         int64 // every item due in the period
	OnTime      int64 // done on or before the due date
	Late        int64 // done after the due date
	OpenOverdue int64 // still open, past the due date
	NotYetDue   int64 // still open, due today or later
	WontDo      int64 // closed as won't do
}

// Decided is the denominator of the completion rate: items done or past
// their due date.
func (c Completion) Decided() int64 { return c.OnTime + c.Late + c.OpenOverdue }

// Rate is done on time ÷ (done on time + done late + open and overdue);
// ok is false when no item is decided yet.
func (c Completion) Rate() (rate float64, ok bool) { return ratio(c.OnTime, c.Decided()) }

// Closing describes the items closed (done or won't do) in the period.
type Closing struct {
	Closed int64
	WontDo int64
	// Time to close = closed − created (an item closed before it was
	// created, such as imported history, counts as 0). Nil without items.
	MedianSeconds, P90Seconds, MeanSeconds *float64
}

// WontDoShare is won't do ÷ closed.
func (c Closing) WontDoShare() (float64, bool) { return ratio(c.WontDo, c.Closed) }

// TrendPoint is the number of open and overdue items at one instant:
// midnight starting Day, or Now for the live point.
type TrendPoint struct {
	Day  Date
	At   time.Time
	Live bool
	Open int64
	// Overdue: open at At and due before Day.
	Overdue int64
}

// SeverityFollowThrough is the follow-through of postmortem and retro
// items of one incident severity (SeverityID nil: incidents without one).
type SeverityFollowThrough struct {
	SeverityID *int64
	Name       string
	Rank       int
	Color      string
	Items      int64
	Open       int64
	Within     []ClosedWithin
}

// ClosedWithin is how many items closed within Days of their creation,
// among the items created at least Days ago (Eligible).
type ClosedWithin struct {
	Days     int
	Eligible int64
	Closed   int64
}

// Rate is Closed ÷ Eligible.
func (c ClosedWithin) Rate() (float64, bool) { return ratio(c.Closed, c.Eligible) }

// WithinDays are the windows of follow-through by severity.
// Each call returns a fresh copy.
func WithinDays() []int { return slices.Clone(withinDays) }

var withinDays = []int{30, 60, 90}

func ratio(n, d int64) (float64, bool) {
	if d == 0 {
		return 0, false
	}
	return float64(n) / float64(d), true
}
