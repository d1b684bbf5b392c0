package views

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/a-h/templ"
)

// View models of the follow-through pages: the list of every action
// item, My work, the manager dashboard and burn-ups.

// FilterChip is one active filter with a link that removes it.
type FilterChip struct {
	Key, Label string
	RemoveURL  string
}

// ActionListRow is one row of the action item list.
type ActionListRow struct {
	ActionRow
	OwnerEmail  string
	TeamSlug    string
	DueRelative string // "3 days overdue", "due in 5 days", "due today"
	Age         string // "12 d"
	Source      string // "INC-12", component name, …
	SourceURL   string
	Comments    int
	Version     int
	Updated     string
}

// SortLink is a column header's sort link.
type SortLink struct {
	URL     string
	Current string // "asc", "desc" or ""
}

// ActionListModel is the list of every action item.
type ActionListModel struct {
	Filter   Form
	Chips    []FilterChip
	Errors   []string
	Teams    []Option
	Owners   []Option
	Rows     []ActionListRow
	Total    int64
	Page     int
	Pages    int
	PrevURL  string
	NextURL  string
	Sorts    map[string]SortLink
	Presets  []Preset
	Export   string
	ClearURL string
	// Query is the list's query string, carried through bulk changes.
	Query    string
	CanEdit  bool
	Bulk     Form
	Selected map[int64]bool
}

// ActionRowEdit is the inline editor of one list row.
type ActionRowEdit struct {
	Row    ActionListRow
	Form   Form
	Owners []Option
	// Conflict: someone changed the item meanwhile; Form holds the fresh values.
	Conflict bool
}

// MyWorkModel is a person's own page.
type MyWorkModel struct {
	Name       string
	Sections   []MyWorkSection
	Created    []ActionListRow
	Closed     []ActionListRow
	Open       int64
	Overdue    int64
	DueWeek    int64
	DoneMonth  int64
	MineURL    string
	CreatedURL string
	Muted      bool
	CanEdit    bool
	Next       string
}

// MyWorkSection is a group of the person's open items.
type MyWorkSection struct {
	Key, Title, Hint string
	Rows             []ActionListRow
}

// Figure is one number on the dashboard with the list behind it and its
// definition.
type Figure struct {
	Label      string
	Value      string
	Hint       string
	URL        string
	Definition string
	Tone       string // ok, warn, bad or ""
	TestID     string
}

// Bar is one segment of a stacked bar (an SVG drawn on the server).
type Bar struct {
	Label string
	Count int64
	Share float64 // 0…1
	Class string
	URL   string
}

// BarX is the x offset of segment i in percent.
func BarX(bars []Bar, i int) string {
	x := 0.0
	for _, b := range bars[:i] {
		x += b.Share
	}
	return fmt.Sprintf("%.3f%%", x*100)
}

// BarW is the width of a segment in percent.
func BarW(b Bar) string { return fmt.Sprintf("%.3f%%", b.Share*100) }

// TrendRow is one week of the trend table.
type TrendRow struct {
	Label      string
	Open       int64
	Overdue    int64
	OpenURL    string
	OverdueURL string
}

// SeverityRow is a row of follow-through by severity.
type SeverityRow struct {
	Name, Color string
	Items       int64
	ItemsURL    string
	Open        int64
	Cells       []WithinCell
}

// WithinCell is "closed within N days" for one severity.
type WithinCell struct {
	Days        int
	Rate        string
	Closed      int64
	Eligible    int64
	ClosedURL   string
	EligibleURL string
}

// BreakdownRow is one team's or owner's line of the dashboard.
type BreakdownRow struct {
	Name, DashboardURL string
	Open, Overdue      Figure
	DueIn7             Figure
	Completion         Figure
	Median             Figure
	WontDo             Figure
}

// BurnUpRow is a postmortem with its progress.
type BurnUpRow struct {
	Key, Title, Severity, SeverityColor string
	Items, Done, WontDo, Open, Overdue  int64
	Percent                             int
	URL, ListURL, IncidentURL           string
}

// DashboardModel is the manager dashboard.
type DashboardModel struct {
	Filter     Form
	Teams      []Option
	Owners     []Option
	Presets    []Preset
	ScopeLabel string
	// Chips are the scope's active filters (team, owner, …).
	Chips  []FilterChip
	Period string
	Errors []string

	Headline   []Figure
	Completion Figure
	Bars       []Bar
	Closing    []Figure
	Aging      []Bar
	AgingMax   int64
	Trend      []TrendRow
	TrendChart string // JSON for charts.js
	Severity   []SeverityRow
	BurnUps    []BurnUpRow
	// ReviewBurnUps are the operational reviews with open items.
	ReviewBurnUps []BurnUpRow
	ByLabel       string // "team" or "owner"
	Breakdown     []BreakdownRow
	ListURL       string
	APIURL        string
}

// BurnUpModel is the burn-up page of one postmortem.
type BurnUpModel struct {
	Kind          string // postmortem or review
	Title, Key    string
	IncidentURL   string
	ListURL       string
	Chart         string
	Rows          []BurnUpPointRow
	Items, Done   int64
	WontDo, Open  int64
	DashboardURL  string
	DefinitionsMD string
}

// BurnUpPointRow is one point of the burn-up table.
type BurnUpPointRow struct {
	Label                string
	Created, Scope, Done int64
	WontDo, Remaining    int64
}

// LineChart is the data a chart element carries for static/js/charts.js.
type LineChart struct {
	Kind   string       `json:"kind"` // line or area
	X      []string     `json:"x"`
	Series []LineSeries `json:"series"`
	YName  string       `json:"y_name,omitempty"`
}

// LineSeries is one line of a LineChart.
type LineSeries struct {
	Name  string  `json:"name"`
	Data  []int64 `json:"data"`
	Color string  `json:"color,omitempty"` // a CSS custom property, e.g. --bad
	Area  bool    `json:"area,omitempty"`
	Step  bool    `json:"step,omitempty"`
}

// JSON encodes the chart for a data attribute.
func (c LineChart) JSON() string {
	b, _ := json.Marshal(c)
	return string(b)
}

// Percent formats a share as a whole percentage ("—" when undefined).
func Percent(v float64, ok bool) string {
	if !ok || math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", v*100)
}

// SevClass is the badge class of a severity colour.
func SevClass(color string) string {
	if color == "" {
		return "badge sev sev-none"
	}
	return "badge sev sev-" + strings.ToLower(color)
}

// ActionFollowUp is what the follow-through adds to an item's page.
type ActionFollowUp struct {
	Comments      []CommentView
	CommentForm   Form
	CanComment    bool
	Reminders     []ReminderView
	IncidentKey   string
	IncidentTitle string
	BurnUpURL     string
}

// CommentView is one comment.
type CommentView struct {
	ID     int64
	Author string
	At     string
	Body   string // Markdown
}

// ReminderView is one reminder sent (or scheduled) for the item.
type ReminderView struct {
	Moment string
	At     string
	Due    string
}

// ReminderLabel names a reminder moment.
func ReminderLabel(moment string) string {
	switch moment {
	case "before":
		return "Before the due date"
	case "due":
		return "On the due date"
	case "overdue":
		return "Overdue"
	}
	return moment
}

// localURL is a path on this site (built by the app from route names) as
// a URL for href; anything else becomes "#".
func localURL(p string) templ.SafeURL {
	if strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "/\\") {
		return templ.SafeURL(p)
	}
	return templ.SafeURL("#")
}
