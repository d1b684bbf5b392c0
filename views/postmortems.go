package views

import (
	"context"
	"strconv"
	"time"

	"github.com/a-h/templ"
)

// PostmortemHeader is what every postmortem page shows at the top.
type PostmortemHeader struct {
	ID          int64
	IncidentKey string
	Title       string // the incident's title
	Severity    *SeverityView
	Status      string
	StatusLabel string
	Owner       string
	Facilitator string
	Due         string
	Overdue     bool
	Started     time.Time
	Published   *time.Time
}

// HintView is one blameless-language hint as a page shows it.
type HintView struct {
	Phrase, Kind, Why, Suggest string
	// Before and After are a few words around the phrase, for context.
	Before, After string
}

// PMSection is one section of a postmortem for one viewer.
type PMSection struct {
	PostmortemID int64
	IncidentKey  string
	ID           int64
	Key          string
	Title        string
	Guidance     string
	Body         string
	Version      int
	EditedBy     string
	EditedAt     string
	Revisions    int
	CanEdit      bool
	Hints        []HintView
	// Saved is set right after an autosave (for the save state).
	Saved bool
	// Conflict is set when someone else saved the section first.
	Conflict *PMSectionConflict
	Error    string
}

// PMSectionConflict holds both texts of a conflicting save.
type PMSectionConflict struct {
	Mine, Theirs string
	TheirsBy     string
	TheirsAt     string
	// Version is the stored version, for "keep mine".
	Version int
}

// FactorView is a contributing factor or finding.
type FactorView struct {
	ID          int64
	Kind        string
	Title       string
	Description string
	By          string
	FromRetro   string // theme title when written in a retro
}

// PostmortemTimelineEvent is one event of the incident's timeline.
type PostmortemTimelineEvent struct {
	At   time.Time
	Kind string
	Text string
}

// RetroLink is a retro session of the postmortem.
type RetroLink struct {
	ID     int64
	Title  string
	Phase  string
	Closed bool
	When   string
}

// RetroSummaryView is the closing summary of a retro as the postmortem
// shows it.
type RetroSummaryView struct {
	SessionID int64
	Title     string
	ClosedAt  string
	Summary   string // Markdown
}

// PostmortemPage is the postmortem of an incident.
type PostmortemPage struct {
	PostmortemHeader
	// Durations are the incident's durations.
	Durations   []IncidentDuration
	Sections    []PMSection
	Timeline    []PostmortemTimelineEvent
	Factors     []FactorView
	FactorForm  Form
	Actions     []ActionRow
	ActionForm  Form
	Components  []Option
	Owners      []Option
	People      Form
	PeopleOpts  []Option
	Version     int
	Retros      []RetroLink
	Summaries   []RetroSummaryView
	CanEdit     bool // member and not published
	CanAct      bool // member (action items, also when published)
	CanReview   bool // facilitator: publish
	CanReopen   bool // admin
	CanRunRetro bool // facilitator
	// HintCount counts every hint across sections (for reviewers).
	HintCount int
}

// PostmortemNewPage is the form that starts a postmortem.
type PostmortemNewPage struct {
	IncidentKey   string
	IncidentTitle string
	Form          Form
	Templates     []Option
	People        []Option
	Why           string
}

// PostmortemRow is one postmortem in the list.
type PostmortemRow struct {
	IncidentKey string
	Title       string
	Severity    *SeverityView
	Status      string
	StatusLabel string
	Owner       string
	Due         string
	Overdue     bool
	Started     time.Time
}

// PostmortemListPage lists postmortems.
type PostmortemListPage struct {
	// Statuses are the statuses to filter by, in order, with their labels.
	Statuses []Option
	Rows     []PostmortemRow
	Status   string
	Counts   map[string]int64
	Total    int64
}

// The postmortem statuses, as the pages tell them apart.
const (
	pmDraft     = "draft"
	pmInReview  = "in_review"
	pmPublished = "published"
)

func postmortemStatusClass(s string) string {
	switch s {
	case pmPublished:
		return "badge badge-ok"
	case pmInReview:
		return "badge badge-info"
	}
	return "badge badge-warn"
}

func sectionDOM(key string) string      { return "sec-" + DOMKey(key) }
func sectionMetaDOM(id int64) string    { return "sec-meta-" + strconv.FormatInt(id, 10) }
func sectionPreviewDOM(id int64) string { return "sec-preview-" + strconv.FormatInt(id, 10) }
func sectionTextDOM(id int64) string    { return "sec-text-" + strconv.FormatInt(id, 10) }

func hintKindLabel(k string) string {
	switch k {
	case "counterfactual":
		return "Counterfactual"
	case "judgement":
		return "Judgement"
	case "minimising":
		return "Minimising"
	case "blame":
		return "Blame"
	}
	return k
}

// sectionsWithHints lists the sections that have hints.
func sectionsWithHints(secs []PMSection) []PMSection {
	var out []PMSection
	for _, s := range secs {
		if len(s.Hints) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// The kinds of contributing factors, as the pages tell them apart.
const (
	factorContributing = "contributing_factor"
	factorFinding      = "finding"
)

// FactorKindOptions are the factor kinds.
func FactorKindOptions() []Option {
	return []Option{{factorContributing, "Contributing factor"}, {factorFinding, "Finding"}}
}

func factorsOf(fs []FactorView, kind string) []FactorView {
	var out []FactorView
	for _, f := range fs {
		if f.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}

func hasSection(secs []PMSection, key string) bool {
	for _, s := range secs {
		if s.Key == key {
			return true
		}
	}
	return false
}

func statusRoute(to, from string) string {
	switch {
	case to == pmPublished:
		return "postmortems.publish"
	case from == pmPublished:
		return "postmortems.reopen"
	}
	return "postmortems.status"
}

func pmStatusQuery(status string) string {
	if status == "" {
		return ""
	}
	return "status=" + status
}

func pmTemplateAction(ctx context.Context, m PMTemplateForm) templ.SafeURL {
	if m.Editing {
		return URL(ctx, "admin.pm_templates.update", m.ID)
	}
	return URL(ctx, "admin.pm_templates.create")
}
