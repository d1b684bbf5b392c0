package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Question changes between two reviews.
const (
	ChangeImproved  = "improved"
	ChangeRegressed = "regressed"
	ChangeUnchanged = "unchanged"
	ChangeNew       = "new"     // the question exists only in the later review's template
	ChangeRetired   = "retired" // the question exists only in the earlier review's template
	ChangeChanged   = "changed" // moved to or from not applicable
	// ChangeUnanswered: answered in the earlier review, not yet in the later one.
	ChangeUnanswered = "unanswered"
)

// QuestionDiff is one question across two reviews, matched by key.
type QuestionDiff struct {
	Key, Prompt, Section, Risk string
	Before, After              string // answer states ("" unanswered)
	BeforeReason, AfterReason  string
	Change                     string
}

// SectionRiskDiff is the risk counts of a section in both reviews.
type SectionRiskDiff struct {
	Key, Title    string
	Before, After RiskCounts
}

// Comparison is the difference between an earlier review A and a later
// review B of the same component.
type Comparison struct {
	A, B            *ReviewState
	Questions       []QuestionDiff
	Counts          map[string]int
	Sections        []SectionRiskDiff
	NewFindings     []StateFinding
	ClosedFindings  []StateFinding
	CarriedFindings []StateFinding
	ClosedActions   []ActionItem
	From, To        time.Time
}

func answerRank(state string) int {
	switch state {
	case AnswerMet:
		return 2
	case AnswerPartial:
		return 1
	case AnswerNotMet:
		return 0
	}
	return -1
}

// CompareStates compares two review states (a earlier, b later).
func CompareStates(a, b *ReviewState) *Comparison {
	c := &Comparison{A: a, B: b, Counts: map[string]int{}}
	inA := map[string]StateQuestion{}
	sectionOfA := map[string]string{}
	for _, s := range a.Sections {
		for _, q := range s.Questions {
			inA[q.Key] = q
			sectionOfA[q.Key] = s.Title
		}
	}
	seen := map[string]bool{}
	for _, s := range b.Sections {
		for _, q := range s.Questions {
			seen[q.Key] = true
			d := QuestionDiff{Key: q.Key, Prompt: q.Prompt, Section: s.Title, Risk: q.Risk, After: q.State, AfterReason: q.Reason}
			old, ok := inA[q.Key]
			switch {
			case !ok:
				d.Change = ChangeNew
			default:
				d.Before, d.BeforeReason = old.State, old.Reason
				ra, rb := answerRank(old.State), answerRank(q.State)
				switch {
				case old.State == q.State:
					d.Change = ChangeUnchanged
				case q.State == AnswerUnanswered:
					d.Change = ChangeUnanswered
				case ra >= 0 && rb >= 0 && rb > ra:
					d.Change = ChangeImproved
				case ra >= 0 && rb >= 0:
					d.Change = ChangeRegressed
				default:
					d.Change = ChangeChanged
				}
			}
			c.Questions = append(c.Questions, d)
			c.Counts[d.Change]++
		}
	}
	for _, s := range a.Sections {
		for _, q := range s.Questions {
			if !seen[q.Key] {
				c.Questions = append(c.Questions, QuestionDiff{Key: q.Key, Prompt: q.Prompt, Section: s.Title, Risk: q.Risk,
					Before: q.State, BeforeReason: q.Reason, Change: ChangeRetired})
				c.Counts[ChangeRetired]++
			}
		}
	}
	// Risk counts per section, matched by section key.
	idx := map[string]int{}
	for _, s := range b.Score.Sections {
		idx[s.Key] = len(c.Sections)
		c.Sections = append(c.Sections, SectionRiskDiff{Key: s.Key, Title: s.Title, After: s.Risks})
	}
	for _, s := range a.Score.Sections {
		if i, ok := idx[s.Key]; ok {
			c.Sections[i].Before = s.Risks
			continue
		}
		c.Sections = append(c.Sections, SectionRiskDiff{Key: s.Key, Title: s.Title, Before: s.Risks})
	}
	// Findings: new in B, carried from before, closed since A.
	inB := map[int64]StateFinding{}
	for _, f := range b.Findings {
		inB[f.ID] = f
		if f.CarriedOver {
			c.CarriedFindings = append(c.CarriedFindings, f)
		} else {
			c.NewFindings = append(c.NewFindings, f)
		}
	}
	for _, f := range a.Findings {
		if f.Status != FindingOpen && f.Status != FindingAccepted {
			continue
		}
		now, ok := inB[f.ID]
		if !ok || (now.Status != FindingOpen && now.Status != FindingAccepted) {
			if ok {
				f.Status = now.Status
			} else {
				f.Status = "closed"
			}
			c.ClosedFindings = append(c.ClosedFindings, f)
		}
	}
	return c
}

// CompareReviews compares two reviews of one component, the earlier first
// whatever the order given, and lists the component's action items closed
// between them (from A's completion, or start, to B's completion or now).
func CompareReviews(ctx context.Context, db *gorm.DB, a, b *Review, now time.Time) (*Comparison, error) {
	if a.ComponentID != b.ComponentID {
		return nil, FieldError("b", "Both reviews must be of the same component.")
	}
	if b.CreatedAt.Before(a.CreatedAt) || (b.CreatedAt.Equal(a.CreatedAt) && b.ID < a.ID) {
		a, b = b, a
	}
	sa, err := StateOfReview(ctx, db, a)
	if err != nil {
		return nil, err
	}
	sb, err := StateOfReview(ctx, db, b)
	if err != nil {
		return nil, err
	}
	c := CompareStates(sa, sb)
	c.From = a.CreatedAt
	if a.CompletedAt != nil {
		c.From = *a.CompletedAt
	}
	c.To = UTC(now)
	if b.CompletedAt != nil {
		c.To = *b.CompletedAt
	}
	items, err := ListActionItems(ctx, db, ActionItemFilter{ComponentID: a.ComponentID, Statuses: []string{ActionDone, ActionWontDo}, ClosedFrom: &c.From, ClosedTo: &c.To})
	if err != nil {
		return nil, fmt.Errorf("models: compare: %w", err)
	}
	c.ClosedActions = items
	return c, nil
}
