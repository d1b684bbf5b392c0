package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Proposal statuses.
const (
	ProposalProposed  = "proposed"
	ProposalAccepted  = "accepted"
	ProposalDismissed = "dismissed"
)

// RetroProposal is a timeline event a participant thinks is missing. The
// facilitator accepts it into the incident's timeline or dismisses it.
type RetroProposal struct {
	ID              int64
	SessionID       int64
	AuthorID        *int64
	Author          *User `gorm:"foreignKey:AuthorID"`
	OccurredAt      time.Time
	Kind            string
	Text            string
	Status          string
	TimelineEventID *int64
	DecidedByID     *int64
	DecidedAt       *time.Time
	CreatedAt       time.Time
}

// ProposeTimelineEvent records a proposal while walking the timeline.
func ProposeTimelineEvent(ctx context.Context, lt LiveTx, actor Actor, sessionID int64, in TimelineInput) (*RetroProposal, error) {
	var p *RetroProposal
	err := retroWrite(ctx, lt, sessionID, RetroEventProposal, func() int64 { return p.ID }, func(tx *gorm.DB) error {
		if _, err := requirePhase(ctx, tx, sessionID, "missing events are proposed", PhaseTimeline); err != nil {
			return err
		}
		in.Milestone = ""
		if err := in.Validate().Err(); err != nil {
			return err
		}
		if _, err := JoinRetro(ctx, tx, actor.UserID, sessionID); err != nil {
			return err
		}
		p = &RetroProposal{SessionID: sessionID, OccurredAt: *in.OccurredAt, Kind: in.Kind, Text: in.Text, Status: ProposalProposed, CreatedAt: Now(tx)}
		if actor.UserID != 0 {
			uid := actor.UserID
			p.AuthorID = &uid
		}
		if err := tx.Omit("Author").Create(p).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditCreate, "retro", sessionID, "proposed a timeline event", map[string]Change{"proposal_id": {To: p.ID}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: propose timeline event: %w", TranslateError(err))
	}
	return p, nil
}

// DecideProposal accepts a proposal into the incident's timeline (in the
// same transaction) or dismisses it. Only the facilitator decides, and
// only once: a second decision finds it decided.
func DecideProposal(ctx context.Context, lt LiveTx, actor Actor, sessionID, id int64, accept bool) (*RetroProposal, error) {
	var p RetroProposal
	err := retroWrite(ctx, lt, sessionID, RetroEventProposal, func() int64 { return id }, func(tx *gorm.DB) error {
		s, err := requirePhase(ctx, tx, sessionID, "proposals are decided", PhaseTimeline)
		if err != nil {
			return err
		}
		if !s.IsFacilitator(actor) {
			return fmt.Errorf("%w: only the facilitator accepts proposals into the timeline", ErrForbidden)
		}
		if s.PostmortemID == nil {
			return StateErrorf("This retro has no incident timeline.")
		}
		if err := tx.Where("id = ? AND session_id = ?", id, sessionID).Take(&p).Error; err != nil {
			return err
		}
		if p.Status != ProposalProposed {
			return &ConflictError{What: "proposal", Current: &p, Message: "Someone else changed this a moment ago."}
		}
		now := Now(tx)
		set := map[string]any{"status": ProposalDismissed, "decided_by_id": actor.UserID, "decided_at": now}
		if accept {
			pm, err := getPostmortemRow(ctx, tx, *s.PostmortemID)
			if err != nil {
				return err
			}
			at := p.OccurredAt
			evs, err := addTimelineEventsTx(ctx, tx, actor, pm.IncidentID, []TimelineInput{{OccurredAt: &at, Kind: p.Kind, Text: p.Text, Source: "retro"}})
			if err != nil {
				return err
			}
			set["status"], set["timeline_event_id"] = ProposalAccepted, evs[0].ID
		}
		res := tx.Model(&RetroProposal{}).Where("id = ? AND status = ?", id, ProposalProposed).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "proposal", Current: &p, Message: "Someone else changed this a moment ago."}
		}
		p.Status = set["status"].(string)
		return Audit(ctx, tx, actor, AuditStateChange, "retro", sessionID, p.Status+" a proposed timeline event", map[string]Change{"proposal_id": {To: id}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: decide proposal %d: %w", id, TranslateError(err))
	}
	return &p, nil
}

// ListRetroProposals returns a session's proposals in time order.
func ListRetroProposals(ctx context.Context, db *gorm.DB, sessionID int64) ([]RetroProposal, error) {
	var out []RetroProposal
	if err := db.WithContext(ctx).Preload("Author").Where("session_id = ?", sessionID).Order("occurred_at, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: retro proposals: %w", TranslateError(err))
	}
	return out, nil
}

func sessionTheme(ctx context.Context, tx *gorm.DB, sessionID, themeID int64) (*int64, error) {
	if themeID == 0 {
		return nil, nil
	}
	var th RetroTheme
	if err := tx.WithContext(ctx).Where("id = ? AND session_id = ?", themeID, sessionID).Take(&th).Error; err != nil {
		if errors.Is(TranslateError(err), ErrNotFound) {
			return nil, FieldError("theme", "Choose one of the themes.")
		}
		return nil, err
	}
	return &th.ID, nil
}

// AddRetroFactor records a finding or contributing factor of a theme
// while discussing. With a postmortem it belongs to the postmortem too.
func AddRetroFactor(ctx context.Context, lt LiveTx, actor Actor, sessionID, themeID int64, in FactorInput) (*ContributingFactor, error) {
	var f *ContributingFactor
	err := retroWrite(ctx, lt, sessionID, RetroEventFactor, func() int64 { return f.ID }, func(tx *gorm.DB) error {
		s, err := requirePhase(ctx, tx, sessionID, "findings are recorded", PhaseDiscuss)
		if err != nil {
			return err
		}
		theme, err := sessionTheme(ctx, tx, sessionID, themeID)
		if err != nil {
			return err
		}
		if _, err := JoinRetro(ctx, tx, actor.UserID, sessionID); err != nil {
			return err
		}
		if f, err = insertFactor(ctx, tx, actor, s.PostmortemID, in); err != nil {
			return err
		}
		f.RetroSessionID, f.RetroThemeID = &sessionID, theme
		return tx.Model(&ContributingFactor{}).Where("id = ?", f.ID).
			Updates(map[string]any{"retro_session_id": sessionID, "retro_theme_id": theme}).Error
	})
	if err != nil {
		return nil, fmt.Errorf("models: add retro factor: %w", TranslateError(err))
	}
	return f, nil
}

// ListRetroFactors returns the factors written in a session.
func ListRetroFactors(ctx context.Context, db *gorm.DB, sessionID int64) ([]ContributingFactor, error) {
	var out []ContributingFactor
	if err := db.WithContext(ctx).Preload("CreatedBy").Where("retro_session_id = ?", sessionID).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: retro factors: %w", TranslateError(err))
	}
	return out, nil
}

// AddRetroActionItem creates an action item in a retro (source retro),
// while discussing or in the action items phase; with a postmortem it
// belongs to the postmortem too. A retro's item needs an owner and a due
// date (checked first, before the phase).
func AddRetroActionItem(ctx context.Context, lt LiveTx, actor Actor, sessionID int64, in NewActionItem) (*ActionItem, error) {
	v := &ValidationError{}
	if strings.TrimSpace(in.Owner) == "" {
		v.Add("owner", "Every action item needs an owner.")
	}
	if strings.TrimSpace(in.DueDate) == "" {
		v.Add("due_date", "Every action item needs a due date.")
	}
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("models: retro action item: %w", err)
	}
	var a *ActionItem
	err := retroWrite(ctx, lt, sessionID, RetroEventAction, func() int64 { return a.ID }, func(tx *gorm.DB) error {
		s, err := requirePhase(ctx, tx, sessionID, "action items are added", PhaseDiscuss, PhaseActions)
		if err != nil {
			return err
		}
		if _, err := JoinRetro(ctx, tx, actor.UserID, sessionID); err != nil {
			return err
		}
		in.SourceKind = SourceRetro
		if s.PostmortemID != nil {
			pm, err := getPostmortemRow(ctx, tx, *s.PostmortemID)
			if err != nil {
				return err
			}
			in.IncidentID = &pm.IncidentID
		}
		created, err := CreateActionItem(ctx, tx, actor, in)
		if err != nil {
			return err
		}
		if err := tx.Model(&ActionItem{}).Where("id = ?", created.ID).
			Updates(map[string]any{"retro_session_id": sessionID, "postmortem_id": s.PostmortemID}).Error; err != nil {
			return err
		}
		a, err = GetActionItem(ctx, tx, created.ID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("models: retro action item: %w", TranslateError(err))
	}
	return a, nil
}

// ListRetroActionItems returns the action items written in a session.
func ListRetroActionItems(ctx context.Context, db *gorm.DB, sessionID int64) ([]ActionItem, error) {
	var out []ActionItem
	err := db.WithContext(ctx).Preload("Owner").Preload("Team").Preload("Component").
		Where("retro_session_id = ?", sessionID).Order("id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: retro action items: %w", TranslateError(err))
	}
	return out, nil
}

// ThemeTally is a theme with its votes, for the discussion and summary.
type ThemeTally struct {
	Theme RetroTheme
	Votes int
	Notes []RetroNote
}

// RetroSummaryMarkdown drafts the closing summary: themes by votes with
// their notes (authors never named), findings and contributing factors,
// and action items with owners and due dates. The facilitator edits it
// before closing.
func RetroSummaryMarkdown(b *RetroBoard) string {
	var sb strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&sb, format, args...) }
	w("Retro held %s with %d participants.\n", b.Session.CreatedAt.Format("2 Jan 2006"), len(b.Participants))
	w("\n### Themes by votes\n\n")
	tallies := b.Tallies()
	if len(tallies) == 0 {
		w("_No themes._\n")
	}
	for i, t := range tallies {
		w("%d. **%s** — %s\n", i+1, mdText(t.Theme.Title), votesLabel(t.Votes))
		for _, n := range t.Notes {
			w("   - %s\n", mdText(n.Text))
		}
	}
	factors := b.Factors
	for _, kind := range []string{FactorFinding, FactorContributing} {
		var lines []string
		for _, f := range factors {
			if f.Kind != kind {
				continue
			}
			line := "- " + mdText(f.Title)
			if f.RetroThemeID != nil {
				if th := b.Theme(*f.RetroThemeID); th != nil {
					line += " _(" + mdText(th.Title) + ")_"
				}
			}
			lines = append(lines, line)
		}
		if len(lines) == 0 {
			continue
		}
		if kind == FactorFinding {
			w("\n### Findings\n\n")
		} else {
			w("\n### Contributing factors\n\n")
		}
		w("%s\n", strings.Join(lines, "\n"))
	}
	w("\n### Action items\n\n")
	if len(b.Actions) == 0 {
		w("_None._\n")
	}
	for _, a := range b.Actions {
		owner := "no owner yet"
		if a.Owner != nil {
			owner = a.Owner.Name
		}
		due := "no due date"
		if a.DueDate != nil {
			due = "due " + a.DueDate.String()
		}
		w("- %s (%s, %s)\n", mdText(a.Title), mdText(owner), due)
	}
	return sb.String()
}

func votesLabel(n int) string {
	if n == 1 {
		return "1 vote"
	}
	return fmt.Sprintf("%d votes", n)
}

// mdText keeps user text from turning into Markdown structure in a list.
func mdText(s string) string {
	s = CleanLine(s)
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", "&lt;", "#", `\#`).Replace(s)
}
