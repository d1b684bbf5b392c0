package views

import "strings"

// ReviewsIndexModel is the landing page of the Reviews section.
type ReviewsIndexModel struct {
	Active      []ReviewRow
	Recent      []ReviewRow
	InProgress  int
	AwaitingOff int
	Completed   int
	DueCount    int
	Components  int
	CanStart    bool
}

// ReviewFormModel is the form that starts (or edits) a review.
type ReviewFormModel struct {
	Form         Form
	Editing      bool
	ID           int64
	Components   []Option
	Templates    []Option
	Facilitators []Option
	People       []Option
}

// ReviewHeader is what every review page says about the review.
type ReviewHeader struct {
	ID             int64
	Title          string
	Status         string
	ComponentName  string
	ComponentSlug  string
	Template       string
	TemplateKey    string
	TemplateNumber int
	Facilitator    string
	Participants   []string
	Scheduled      string
	Started        string
	Completed      string
	Decision       string
	DecisionNotes  string
	SignedOffBy    string
	PreviousID     int64
}

// ScoreView is the risk and readiness summary.
type ScoreView struct {
	Readiness   string
	Formula     string
	High        int
	Medium      int
	Low         int
	Answered    int
	Total       int
	AnsweredPct int
	Met         int
	Partial     int
	NotMet      int
	NA          int
}

// ChecklistSection is a section of the checklist with its progress.
type ChecklistSection struct {
	Key, Title, DescriptionMD string
	Answered, Total           int
	High, Medium, Low         int
	Questions                 []AnswerView
}

// AnswerValues are the fields of an answer.
type AnswerValues struct {
	State, Reason, Notes, Evidence string
}

// AnswerConflict is shown when someone else saved the same answer first.
type AnswerConflict struct {
	Mine     AnswerValues
	Theirs   AnswerValues
	TheirsBy string
	TheirsAt string
	Version  int
}

// AnswerView is one question with its answer.
type AnswerView struct {
	ReviewID   int64
	Section    string
	Key        string
	Prompt     string
	GuidanceMD string
	Evidence   string // what to collect
	Risk       string
	Values     AnswerValues
	Version    int
	SavedBy    string
	SavedAt    string
	Editable   bool
	Errors     map[string]string
	Conflict   *AnswerConflict
	Findings   int
}

// TransitionButton is a lifecycle action offered on the review page.
type TransitionButton struct {
	Action, Label, Confirm string
	Primary                bool
}

// ReviewPageModel is the review page with its checklist.
type ReviewPageModel struct {
	ReviewHeader
	Score       ScoreView
	Sections    []ChecklistSection
	Findings    []FindingRow
	Actions     []ActionRow
	Transitions []TransitionButton
	CanAnswer   bool
	CanSignOff  bool
	CanEdit     bool
	Editable    bool
	ReadOnlyWhy string
	Unanswered  int
}

// SignOffModel is the sign-off form.
type SignOffModel struct {
	ReviewHeader
	Score      ScoreView
	OpenHigh   []FindingRow
	Form       Form
	Unanswered int
}

// FindingFormModel creates or edits a finding.
type FindingFormModel struct {
	ReviewHeader
	Form      Form
	Editing   bool
	ID        int64
	Questions []Option
}

// FindingPageModel is a finding's page.
type FindingPageModel struct {
	FindingRow
	DescriptionMD  string
	Rationale      string
	ComponentName  string
	ComponentSlug  string
	ReviewTitle    string
	QuestionPrompt string
	Created        string
	Creator        string
	Version        int
	Actions        []ActionRow
	Reviews        []ReviewRow
	CanEdit        bool
	CanChange      bool
	StatusForm     Form
	Approvers      []Option
	ActionForm     ActionForm
}

// AnswerStateOptions are the answer choices, in order.
func AnswerStateOptions() []Option {
	return []Option{{"met", "Met"}, {"partial", "Partly met"}, {"not_met", "Not met"}, {"not_applicable", "Not applicable"}}
}

// AnswerStateLabel names an answer state.
func AnswerStateLabel(s string) string {
	for _, o := range AnswerStateOptions() {
		if o.Value == s {
			return o.Label
		}
	}
	return "Not answered"
}

func answerStateClass(s string) string {
	switch s {
	case "met":
		return "badge badge-ok"
	case "partial":
		return "badge badge-warn"
	case "not_met":
		return "badge badge-bad"
	case "not_applicable":
		return "badge badge-outline"
	}
	return "badge"
}

// FindingRiskOptions are the finding risks.
func FindingRiskOptions() []Option {
	return []Option{{"critical", "Critical"}, {"high", "High"}, {"medium", "Medium"}, {"low", "Low"}}
}

// FindingStatusOptions are the finding statuses.
func FindingStatusOptions() []Option {
	return []Option{{"open", "Open"}, {"accepted", "Accepted risk"}, {"mitigated", "Mitigated"}, {"resolved", "Resolved"}}
}

// DecisionOptions are the sign-off decisions.
func DecisionOptions() []Option {
	return []Option{{"ready", "Ready"}, {"ready_with_conditions", "Ready with conditions"}, {"not_ready", "Not ready"}}
}

// DOMKey makes a question key safe inside element ids and CSS selectors.
func DOMKey(key string) string { return strings.ReplaceAll(key, ".", "_2e") }

func qid(key string) string            { return "q-" + DOMKey(key) }
func fieldID(key, f string) string     { return "a-" + DOMKey(key) + "-" + f }
func conflictID(key string) string     { return "conflict-" + DOMKey(key) }
func savedByID(key string) string      { return "by-" + DOMKey(key) }
func versionID(key string) string      { return "ver-" + DOMKey(key) }
func errorBoxID(key string) string     { return "err-" + DOMKey(key) }
func progressID(section string) string { return "prog-" + DOMKey(section) }
func navStateID(key string) string     { return "nav-" + DOMKey(key) }

func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func roundTo5(n int) int {
	if n < 0 {
		return 0
	}
	if n > 100 {
		return 100
	}
	return (n + 2) / 5 * 5
}
