package views

import (
	"strconv"
	"time"
)

// RetroView is a live retro as one viewer sees it. The handler builds it
// from the stored board through the visibility rules: it never holds a
// note, an author or a vote total the viewer may not see.
type RetroView struct {
	ID    int64
	Title string
	Phase string
	Steps []PhaseStep
	// Next and Prev are the phases either side ("" at the ends), with
	// their labels.
	Next, Prev           string
	NextLabel, PrevLabel string
	Facilitator          string
	IsFacilitator        bool
	// CanWrite: the viewer may take part (member, session open).
	CanWrite   bool
	Anonymous  bool
	VoteBudget int
	Revealed   bool
	Closed     bool
	// IncidentKey is set for a postmortem's session.
	IncidentKey   string
	IncidentTitle string
	Agenda        string
	Timer         TimerView
	People        []PersonView
	ReadyCount    int
	MeReady       bool
	Prompts       []PromptView
	Writers       []WriterView
	NoteCount     int
	// CountsHidden: others' notes are not even counted (anonymous, before
	// the reveal); NoteCount is the viewer's own.
	CountsHidden  bool
	Themes        []ThemeView
	Ungrouped     []NoteView
	VotesLeft     int
	VotesCast     int
	TotalsVisible bool
	Timeline      []TimelineRow
	// TimelineKinds are the kinds a proposed timeline event may have.
	TimelineKinds []string
	ReviewItems   []ActionRow
	Actions       []ActionRow
	Summary       string
	SummaryDraft  string
	// SummaryError is why closing refused the summary (shown at it).
	SummaryError string
	Settings     Form
	Version      int
	Owners       []Option
	ThemeOptions []Option
	// Seq is the live sequence number the page was built at.
	Seq int64
	// PromptOfNote maps note ids to prompts (to update one prompt's list).
	PromptOfNote map[int64]int64
}

// PhaseStep is one phase in the stepper.
type PhaseStep struct {
	Phase, Label  string
	Done, Current bool
}

// TimerView is the shared countdown. EndsAt is absolute; Now is the
// server's clock when the fragment was rendered, so every browser counts
// down to the same moment whatever its own clock says.
type TimerView struct {
	EndsAt  *time.Time
	Seconds int
	Now     time.Time
}

// PersonView is someone in the retro.
type PersonView struct {
	Name        string
	Online      bool
	Tabs        int
	Ready       bool
	Facilitator bool
}

// PromptView is a reflection prompt with the notes the viewer may see.
type PromptView struct {
	ID     int64
	Text   string
	Notes  []NoteView
	Hidden int
}

// NoteView is a note the viewer may see. Author is empty when the viewer
// may not know who wrote it.
type NoteView struct {
	ID      int64
	Text    string
	Author  string
	Mine    bool
	ThemeID int64
}

// ThemeView is a theme with its notes, the viewer's votes and (once voting
// is over) everyone's.
type ThemeView struct {
	ID      int64
	Title   string
	Notes   []NoteView
	MyVotes int
	Votes   int
	Factors []FactorView
	Rank    int
}

// TimelineRow is an incident timeline event or a proposal.
type TimelineRow struct {
	At       time.Time
	Kind     string
	Text     string
	Proposal bool
	ID       int64
	Status   string
	By       string
}

// RetroNewPage is the form that opens a retro.
type RetroNewPage struct {
	Form       Form
	Postmortem *PostmortemHeader
	Components []Option
}

// WriterView is someone who wrote notes, and how many.
type WriterView struct {
	Name  string
	Notes int
}

// RetroRow is a session in the list.
type RetroRow struct {
	ID           int64
	Title        string
	Phase        string
	PhaseLabel   string
	Facilitator  string
	Participants int
	IncidentKey  string
	Created      time.Time
	Closed       *time.Time
}

// RetroListPage lists sessions.
type RetroListPage struct {
	Open, Closed []RetroRow
	CanCreate    bool
}

func phaseHint(p string) string {
	switch p {
	case "stage":
		return "Why we are here, how we talk: describe what happened and how it made sense at the time, never who is to blame."
	case "review":
		return "Before new ideas: what became of the actions we agreed last time on these components?"
	case "timeline":
		return "Walk the timeline together. Propose what is missing; the facilitator adds it to the incident."
	case "reflect":
		return "Write privately, one thought per note. Nobody else sees your notes until the facilitator reveals them."
	case "group":
		return "Put notes that say the same thing into one theme."
	case "vote":
		return "Spend your votes on the themes that matter most. Totals show when voting ends."
	case "discuss":
		return "Take the top themes in turn. Record findings and contributing factors: conditions, not people."
	case "actions":
		return "Agree on action items, each with an owner and a due date."
	case "close":
		return "The facilitator writes the summary; it becomes part of the postmortem."
	case "closed":
		return "This retro is over. Its summary is below."
	}
	return ""
}

func retroTopicID(id int64) string { return strconv.FormatInt(id, 10) }

func noteRegion(promptID int64) string { return "notes-" + strconv.FormatInt(promptID, 10) }

func factorRegion(themeID int64) string { return "factors-" + strconv.FormatInt(themeID, 10) }

func remaining(t TimerView) int {
	if t.EndsAt == nil {
		return 0
	}
	return max(int(t.EndsAt.Sub(t.Now).Seconds()), 0)
}

func themeOf(themes []ThemeView, id int64) *ThemeView {
	for i := range themes {
		if themes[i].ID == id {
			return &themes[i]
		}
	}
	return nil
}

func writersText(v RetroView) string {
	if v.CountsHidden {
		return "Anonymous: nobody sees who writes or how many notes there are until the reveal. You wrote " + notesLabel(v.NoteCount) + "."
	}
	out := notesLabel(v.NoteCount) + " written so far"
	for i, w := range v.Writers {
		if i == 0 {
			out += ": "
		} else {
			out += ", "
		}
		out += w.Name + " (" + strconv.Itoa(w.Notes) + ")"
	}
	return out + "."
}

func notesLabel(n int) string { return Plural(n, "note", "notes") }

func votesLabel(n int) string { return Plural(n, "vote", "votes") }

// OwnsNote reports whether note id is on the board as the viewer's own.
func (v RetroView) OwnsNote(id int64) bool {
	for _, p := range v.Prompts {
		for _, n := range p.Notes {
			if n.ID == id {
				return n.Mine
			}
		}
	}
	return false
}
