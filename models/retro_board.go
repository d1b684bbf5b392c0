package models

import (
	"context"
	"fmt"
	"sort"

	"gorm.io/gorm"
)

// RetroBoard is everything stored about a session at one moment. It holds
// every note, including private ones: build what a viewer sees only
// through its *For methods, which apply the visibility rules.
type RetroBoard struct {
	Session      *RetroSession
	Participants []RetroParticipant
	notes        []RetroNote
	Themes       []RetroTheme
	votes        []RetroVote
	Proposals    []RetroProposal
	Factors      []ContributingFactor
	Actions      []ActionItem
	// Timeline is the incident's timeline (a postmortem's session), with
	// Proposals loaded while walking the timeline.
	Timeline []TimelineEvent
	// ReviewItems are the open action items to look at first, loaded in
	// the review phase. Factors and Actions are loaded from the discussion
	// on.
	ReviewItems []ActionItem
}

// LoadRetroBoard loads a session and what its current phase shows: the
// notes, themes and votes always; the incident's timeline and the
// proposals while walking it; the items to review in the review phase;
// findings and action items from the discussion on. Every stream of a
// session renders from one load per change, so it loads no more than the
// phase needs.
func LoadRetroBoard(ctx context.Context, db *gorm.DB, sessionID int64) (*RetroBoard, error) {
	var s RetroSession
	err := db.WithContext(ctx).Preload("Facilitator").
		Preload("Prompts", func(db *gorm.DB) *gorm.DB { return db.Order("position, id") }).
		Preload("Components").Preload("Postmortem").Preload("Postmortem.Incident").Preload("Postmortem.Incident.Components").
		Where("id = ?", sessionID).Take(&s).Error
	if err != nil {
		return nil, fmt.Errorf("models: get retro %d: %w", sessionID, TranslateError(err))
	}
	b := &RetroBoard{Session: &s}
	q := db.WithContext(ctx)
	if b.Participants, err = ListRetroParticipants(ctx, db, sessionID); err != nil {
		return nil, err
	}
	if err := q.Preload("Author").Where("session_id = ?", sessionID).Order("prompt_id, id").Find(&b.notes).Error; err != nil {
		return nil, fmt.Errorf("models: retro notes: %w", TranslateError(err))
	}
	if err := q.Where("session_id = ?", sessionID).Order("id").Find(&b.Themes).Error; err != nil {
		return nil, fmt.Errorf("models: retro themes: %w", TranslateError(err))
	}
	if err := q.Where("session_id = ?", sessionID).Order("id").Find(&b.votes).Error; err != nil {
		return nil, fmt.Errorf("models: retro votes: %w", TranslateError(err))
	}
	switch {
	case s.Phase == PhaseReview:
		if b.ReviewItems, err = RetroReviewItems(ctx, db, &s); err != nil {
			return nil, err
		}
	case s.Phase == PhaseTimeline:
		if b.Proposals, err = ListRetroProposals(ctx, db, sessionID); err != nil {
			return nil, err
		}
		if s.Postmortem != nil {
			if b.Timeline, err = ListTimeline(ctx, db, s.Postmortem.IncidentID); err != nil {
				return nil, err
			}
		}
	case s.PhaseAtLeast(PhaseDiscuss):
		if b.Factors, err = ListRetroFactors(ctx, db, sessionID); err != nil {
			return nil, err
		}
		if b.Actions, err = ListRetroActionItems(ctx, db, sessionID); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// VisibleNote is a note as one viewer may see it.
type VisibleNote struct {
	ID       int64
	PromptID int64
	ThemeID  *int64
	Text     string
	// Author is empty when the viewer may not know who wrote it.
	Author string
	Mine   bool
}

// CanSeeNote reports whether viewer may see the note's text: their own
// always, anyone's once the notes are revealed.
func (b *RetroBoard) CanSeeNote(n RetroNote, viewerID int64) bool {
	return n.AuthorID == viewerID || b.Session.Revealed()
}

// CanSeeAuthor reports whether viewer may know who wrote the note: never
// in an anonymous session unless it is their own.
func (b *RetroBoard) CanSeeAuthor(n RetroNote, viewerID int64) bool {
	return n.AuthorID == viewerID || (!b.Session.Anonymous && b.CanSeeNote(n, viewerID))
}

// NotesFor returns the notes viewer may see, by prompt and age. Notes the
// viewer may not see are not in the list at all.
func (b *RetroBoard) NotesFor(viewerID int64) []VisibleNote {
	out := make([]VisibleNote, 0, len(b.notes))
	for _, n := range b.notes {
		if !b.CanSeeNote(n, viewerID) {
			continue
		}
		v := VisibleNote{ID: n.ID, PromptID: n.PromptID, ThemeID: n.ThemeID, Text: n.Text, Mine: n.AuthorID == viewerID}
		if b.CanSeeAuthor(n, viewerID) && n.Author != nil {
			v.Author = n.Author.Name
		}
		out = append(out, v)
	}
	return out
}

// CountsHidden reports whether how many notes others wrote is itself
// hidden: in an anonymous session before the reveal, a count that moves
// the moment someone writes would point at them.
func (b *RetroBoard) CountsHidden() bool { return b.Session.Anonymous && !b.Session.Revealed() }

// HiddenNoteCounts counts, per prompt, the notes viewer may not see yet;
// empty while CountsHidden.
func (b *RetroBoard) HiddenNoteCounts(viewerID int64) map[int64]int {
	out := map[int64]int{}
	if b.CountsHidden() {
		return out
	}
	for _, n := range b.notes {
		if !b.CanSeeNote(n, viewerID) {
			out[n.PromptID]++
		}
	}
	return out
}

// Writer is a person and how many notes they wrote.
type Writer struct {
	Name  string
	Notes int
}

// WritersFor lists who wrote how many notes, for everyone to see who is
// still writing; empty in an anonymous session. It names no note.
func (b *RetroBoard) WritersFor(viewerID int64) []Writer {
	if b.Session.Anonymous {
		return nil
	}
	counts := map[int64]int{}
	for _, n := range b.notes {
		counts[n.AuthorID]++
	}
	var out []Writer
	for _, p := range b.Participants {
		if c := counts[p.UserID]; c > 0 && p.User != nil {
			out = append(out, Writer{Name: p.User.Name, Notes: c})
		}
	}
	return out
}

// NotePrompts maps every note to its prompt (which prompt a note is on is
// no secret: hidden notes are counted per prompt).
func (b *RetroBoard) NotePrompts() map[int64]int64 {
	out := make(map[int64]int64, len(b.notes))
	for _, n := range b.notes {
		out[n.ID] = n.PromptID
	}
	return out
}

// NoteCount is the number of notes in the session.
func (b *RetroBoard) NoteCount() int { return len(b.notes) }

// NoteCountFor is how many notes viewer may know were written: all of
// them, or only their own while CountsHidden.
func (b *RetroBoard) NoteCountFor(viewerID int64) int {
	if !b.CountsHidden() {
		return len(b.notes)
	}
	n := 0
	for _, note := range b.notes {
		if note.AuthorID == viewerID {
			n++
		}
	}
	return n
}

// Theme returns the theme with the id, or nil.
func (b *RetroBoard) Theme(id int64) *RetroTheme {
	for i := range b.Themes {
		if b.Themes[i].ID == id {
			return &b.Themes[i]
		}
	}
	return nil
}

// VotesOf counts a person's votes per theme.
func (b *RetroBoard) VotesOf(userID int64) map[int64]int {
	out := map[int64]int{}
	for _, v := range b.votes {
		if v.UserID == userID {
			out[v.ThemeID]++
		}
	}
	return out
}

// VotesLeft is how many votes a person still has.
func (b *RetroBoard) VotesLeft(userID int64) int {
	used := 0
	for _, p := range b.Participants {
		if p.UserID == userID {
			used = p.VotesUsed
		}
	}
	return max(b.Session.VoteBudget-used, 0)
}

// VotesCast counts every vote in the session.
func (b *RetroBoard) VotesCast() int { return len(b.votes) }

// TotalsVisible reports whether everyone may see how many votes each theme
// got: once voting is over, so nobody votes with the crowd.
func (b *RetroBoard) TotalsVisible() bool { return b.Session.PhaseAtLeast(PhaseDiscuss) }

// Tallies returns the themes by votes (most first), each with its notes.
// Use it once notes are revealed.
func (b *RetroBoard) Tallies() []ThemeTally {
	counts := map[int64]int{}
	for _, v := range b.votes {
		counts[v.ThemeID]++
	}
	out := make([]ThemeTally, 0, len(b.Themes))
	for _, th := range b.Themes {
		t := ThemeTally{Theme: th, Votes: counts[th.ID]}
		for _, n := range b.notes {
			if n.ThemeID != nil && *n.ThemeID == th.ID && b.Session.Revealed() {
				t.Notes = append(t.Notes, n)
			}
		}
		out = append(out, t)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Votes > out[j].Votes })
	return out
}

// ReadyCount counts the participants ready in the current phase.
func (b *RetroBoard) ReadyCount() int {
	n := 0
	for _, p := range b.Participants {
		if p.Ready(b.Session.Phase) {
			n++
		}
	}
	return n
}

// Participant returns the viewer's participation, or nil.
func (b *RetroBoard) Participant(userID int64) *RetroParticipant {
	for i := range b.Participants {
		if b.Participants[i].UserID == userID {
			return &b.Participants[i]
		}
	}
	return nil
}
