package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// RetroSession is a live retrospective: a facilitator runs it through its
// phases while participants write, group, vote and decide, each in their
// own browser. A session usually belongs to a postmortem; a standalone
// one (a project, a quarter) names the components it is about.
type RetroSession struct {
	ID              int64
	Title           string
	PostmortemID    *int64
	Postmortem      *Postmortem `gorm:"foreignKey:PostmortemID"`
	FacilitatorID   int64
	Facilitator     *User `gorm:"foreignKey:FacilitatorID"`
	Phase           string
	PhaseStartedAt  time.Time
	TimerEndsAt     *time.Time
	TimerSeconds    int
	Anonymous       bool
	VoteBudget      int
	NotesRevealedAt *time.Time
	Agenda          string
	Summary         string
	ClosedAt        *time.Time
	CreatedByID     *int64
	Version         int
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Prompts         []RetroPrompt `gorm:"foreignKey:SessionID"`
	Components      []Component   `gorm:"many2many:retro_session_components;joinForeignKey:SessionID;joinReferences:ComponentID"`
}

// RetroSessionComponent links a standalone session to a component.
type RetroSessionComponent struct {
	SessionID   int64 `gorm:"primaryKey;autoIncrement:false"`
	ComponentID int64 `gorm:"primaryKey;autoIncrement:false"`
}

// RetroPrompt is a question participants reflect on.
type RetroPrompt struct {
	ID        int64
	SessionID int64
	Position  int
	Text      string
}

// RetroParticipant is someone who joined a session.
type RetroParticipant struct {
	SessionID  int64 `gorm:"primaryKey;autoIncrement:false"`
	UserID     int64 `gorm:"primaryKey;autoIncrement:false"`
	User       *User `gorm:"foreignKey:UserID"`
	JoinedAt   time.Time
	ReadyPhase string
	VotesUsed  int
}

// Ready reports whether the participant signalled ready in the phase.
func (p RetroParticipant) Ready(phase string) bool {
	return p.ReadyPhase != "" && p.ReadyPhase == phase
}

// IsFacilitator reports whether the actor runs the session.
func (s *RetroSession) IsFacilitator(a Actor) bool {
	return a.UserID != 0 && a.UserID == s.FacilitatorID
}

// Closed reports whether the session has ended.
func (s *RetroSession) Closed() bool { return s.Phase == PhaseClosed }

// Revealed reports whether the reflection notes are visible to everyone.
func (s *RetroSession) Revealed() bool { return s.NotesRevealedAt != nil }

// DefaultRetroPrompts are the reflection prompts of a new session.
// Each call returns a fresh copy.
func DefaultRetroPrompts() []string { return slices.Clone(defaultRetroPrompts) }

var defaultRetroPrompts = []string{"What went well?", "What was hard?", "What surprised you?", "Where did we get lucky?"}

// DefaultVoteBudget is the number of votes each person has.
const DefaultVoteBudget = 3

// NewRetro is the input for CreateRetro.
type NewRetro struct {
	Title        string
	PostmortemID *int64
	ComponentIDs []int64
	Anonymous    bool
	VoteBudget   int
	Prompts      []string
	Agenda       string
}

func normalizePrompts(in []string, v *ValidationError) []string {
	out := make([]string, 0, len(in))
	for _, p := range in {
		p = CleanLine(p)
		if p == "" {
			continue
		}
		if len([]rune(p)) > 200 {
			v.Add("prompts", "Keep each prompt under 200 characters.")
		}
		out = append(out, p)
	}
	switch {
	case len(out) == 0:
		v.Add("prompts", "Give at least one prompt to reflect on, one per line.")
	case len(out) > 8:
		v.Add("prompts", "Use at most 8 prompts.")
	}
	return out
}

func validateBudget(n int, v *ValidationError) {
	if n < 1 || n > 20 {
		v.Add("vote_budget", "Give each person from 1 to 20 votes.")
	}
}

// CreateRetro opens a session run by actor, in its first phase.
func CreateRetro(ctx context.Context, db *gorm.DB, actor Actor, in NewRetro) (*RetroSession, error) {
	if actor.UserID == 0 {
		return nil, fmt.Errorf("models: create retro: %w: a retro needs a facilitator who signed in", ErrForbidden)
	}
	var id int64
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		v := &ValidationError{}
		in.Title = CleanLine(in.Title)
		in.Agenda = strings.TrimSpace(CleanText(in.Agenda))
		if in.PostmortemID != nil && in.Title == "" {
			pm, err := GetPostmortem(ctx, tx, *in.PostmortemID)
			if err != nil {
				return err
			}
			in.Title = "Retro: " + pm.Incident.Key() + " " + pm.Incident.Title
		}
		switch {
		case in.Title == "":
			v.Add("title", "Name the retro, like “Q3 platform migration”.")
		case len([]rune(in.Title)) > 200:
			v.Add("title", "Use at most 200 characters.")
		}
		if in.VoteBudget == 0 {
			in.VoteBudget = DefaultVoteBudget
		}
		validateBudget(in.VoteBudget, v)
		if in.Prompts == nil {
			in.Prompts = defaultRetroPrompts
		}
		in.Prompts = normalizePrompts(in.Prompts, v)
		if len(in.Agenda) > 10_000 {
			v.Add("agenda", "The agenda is too long.")
		}
		if in.PostmortemID != nil {
			if _, err := getPostmortemRow(ctx, tx, *in.PostmortemID); errors.Is(err, ErrNotFound) {
				v.Add("postmortem", "Choose a postmortem that exists.")
			} else if err != nil {
				return err
			}
		}
		if len(in.ComponentIDs) > 0 {
			var n int64
			if err := tx.Model(&Component{}).Where("id IN ?", in.ComponentIDs).Count(&n).Error; err != nil {
				return err
			}
			if int(n) != len(in.ComponentIDs) {
				v.Add("components", "Choose components from the catalog.")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		now := Now(tx)
		s := RetroSession{
			Title: in.Title, PostmortemID: in.PostmortemID, FacilitatorID: actor.UserID, Phase: PhaseStage, PhaseStartedAt: now,
			Anonymous: in.Anonymous, VoteBudget: in.VoteBudget, Agenda: in.Agenda, Version: 1, CreatedAt: now, UpdatedAt: now,
		}
		uid := actor.UserID
		s.CreatedByID = &uid
		if err := tx.Omit(clause.Associations).Create(&s).Error; err != nil {
			return err
		}
		id = s.ID
		if err := replacePrompts(ctx, tx, s.ID, in.Prompts); err != nil {
			return err
		}
		for _, cid := range in.ComponentIDs {
			if err := tx.Create(&RetroSessionComponent{SessionID: s.ID, ComponentID: cid}).Error; err != nil {
				return err
			}
		}
		if err := tx.Create(&RetroParticipant{SessionID: s.ID, UserID: actor.UserID, JoinedAt: now}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, actor, AuditCreate, "retro", s.ID, "opened the retro "+quote(s.Title),
			map[string]Change{"postmortem_id": {To: s.PostmortemID}, "anonymous": {To: s.Anonymous}, "vote_budget": {To: s.VoteBudget}})
	})
	if err != nil {
		return nil, fmt.Errorf("models: create retro: %w", TranslateError(err))
	}
	return GetRetro(ctx, db, id)
}

func replacePrompts(ctx context.Context, tx *gorm.DB, sessionID int64, prompts []string) error {
	var existing []RetroPrompt
	if err := tx.WithContext(ctx).Where("session_id = ?", sessionID).Order("position, id").Find(&existing).Error; err != nil {
		return err
	}
	// Keep the rows of prompts that stay (by position), so nothing that
	// points at them moves.
	for i, text := range prompts {
		if i < len(existing) {
			if existing[i].Text != text || existing[i].Position != i+1 {
				if err := tx.Model(&RetroPrompt{}).Where("id = ?", existing[i].ID).Updates(map[string]any{"text": text, "position": i + 1}).Error; err != nil {
					return err
				}
			}
			continue
		}
		if err := tx.Create(&RetroPrompt{SessionID: sessionID, Position: i + 1, Text: text}).Error; err != nil {
			return err
		}
	}
	for _, p := range existing[min(len(prompts), len(existing)):] {
		if err := tx.Where("id = ?", p.ID).Delete(&RetroPrompt{}).Error; err != nil {
			return err
		}
	}
	return nil
}

func retroPreloads(q *gorm.DB) *gorm.DB {
	return q.Preload("Facilitator").
		Preload("Prompts", func(db *gorm.DB) *gorm.DB { return db.Order("position, id") }).
		Preload("Components", func(db *gorm.DB) *gorm.DB { return db.Order("components.name") }).
		Preload("Postmortem").Preload("Postmortem.Incident", incidentPreloads)
}

// GetRetro loads a session with its facilitator, prompts, components and
// postmortem (with the incident).
func GetRetro(ctx context.Context, db *gorm.DB, id int64) (*RetroSession, error) {
	var s RetroSession
	if err := retroPreloads(db.WithContext(ctx)).Where("id = ?", id).Take(&s).Error; err != nil {
		return nil, fmt.Errorf("models: get retro %d: %w", id, TranslateError(err))
	}
	return &s, nil
}

// getRetroRow loads the session row alone, for rule checks inside writes.
func getRetroRow(ctx context.Context, tx *gorm.DB, id int64) (*RetroSession, error) {
	var s RetroSession
	if err := tx.WithContext(ctx).Where("id = ?", id).Take(&s).Error; err != nil {
		return nil, fmt.Errorf("models: get retro %d: %w", id, TranslateError(err))
	}
	return &s, nil
}

// RetroFilter narrows ListRetros.
type RetroFilter struct {
	// Open keeps sessions not closed; Closed keeps closed ones.
	Open, Closed bool
	PostmortemID int64
	Limit        int
}

// RetroListItem is a session in a list, with how many joined.
type RetroListItem struct {
	RetroSession
	Participants int
}

// ListRetros returns sessions, newest first.
func ListRetros(ctx context.Context, db *gorm.DB, f RetroFilter) ([]RetroListItem, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	q := db.WithContext(ctx).Model(&RetroSession{})
	if f.Open {
		q = q.Where("phase <> ?", PhaseClosed)
	}
	if f.Closed {
		q = q.Where("phase = ?", PhaseClosed)
	}
	if f.PostmortemID != 0 {
		q = q.Where("postmortem_id = ?", f.PostmortemID)
	}
	var sessions []RetroSession
	err := q.Preload("Facilitator").Preload("Postmortem").Preload("Postmortem.Incident").
		Order("created_at DESC, id DESC").Limit(f.Limit).Find(&sessions).Error
	if err != nil {
		return nil, fmt.Errorf("models: list retros: %w", TranslateError(err))
	}
	ids := make([]int64, 0, len(sessions))
	for _, s := range sessions {
		ids = append(ids, s.ID)
	}
	counts := map[int64]int{}
	if len(ids) > 0 {
		var rows []struct {
			SessionID int64
			N         int
		}
		if err := db.WithContext(ctx).Model(&RetroParticipant{}).Select("session_id, COUNT(*) AS n").
			Where("session_id IN ?", ids).Group("session_id").Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("models: list retros: %w", TranslateError(err))
		}
		for _, r := range rows {
			counts[r.SessionID] = r.N
		}
	}
	out := make([]RetroListItem, 0, len(sessions))
	for _, s := range sessions {
		out = append(out, RetroListItem{RetroSession: s, Participants: counts[s.ID]})
	}
	return out, nil
}

// JoinRetro makes the user a participant (nothing happens when they are
// one already). It reports whether they joined just now.
func JoinRetro(ctx context.Context, db *gorm.DB, userID, sessionID int64) (bool, error) {
	res := db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&RetroParticipant{SessionID: sessionID, UserID: userID, JoinedAt: Now(db)})
	if res.Error != nil {
		return false, fmt.Errorf("models: join retro %d: %w", sessionID, TranslateError(res.Error))
	}
	return res.RowsAffected == 1, nil
}

// ListRetroParticipants returns who joined, by name.
func ListRetroParticipants(ctx context.Context, db *gorm.DB, sessionID int64) ([]RetroParticipant, error) {
	var out []RetroParticipant
	err := db.WithContext(ctx).Preload("User").Joins("JOIN users ON users.id = retro_participants.user_id").
		Where("retro_participants.session_id = ?", sessionID).Order("users.name, users.id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: retro participants: %w", TranslateError(err))
	}
	return out, nil
}

// RetroSettings are what the facilitator sets up in the first phase.
type RetroSettings struct {
	Title      string
	Agenda     string
	Anonymous  bool
	VoteBudget int
	Prompts    []string
}

// UpdateRetroSettings changes the set-up of a session. Only the
// facilitator may. Prompts change only before reflection starts, the vote
// budget only before voting starts, and anonymity cannot be switched off
// once a note exists (it would reveal their authors).
func UpdateRetroSettings(ctx context.Context, lt LiveTx, actor Actor, sessionID int64, version int, in RetroSettings) (*RetroSession, error) {
	var out *RetroSession
	err := retroWrite(ctx, lt, sessionID, RetroEventSettings, nil, func(tx *gorm.DB) error {
		s, err := GetRetro(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		if !s.IsFacilitator(actor) {
			return fmt.Errorf("%w: only the facilitator changes the retro's set-up", ErrForbidden)
		}
		if s.Closed() {
			return StateErrorf("The retro is closed.")
		}
		if s.Version != version {
			return &ConflictError{What: "retro settings", Current: s, Submitted: in, Message: "Someone else changed this a moment ago."}
		}
		v := &ValidationError{}
		in.Title = CleanLine(in.Title)
		in.Agenda = strings.TrimSpace(CleanText(in.Agenda))
		if in.Title == "" || len([]rune(in.Title)) > 200 {
			v.Add("title", "Name the retro (at most 200 characters).")
		}
		validateBudget(in.VoteBudget, v)
		prompts := normalizePrompts(in.Prompts, v)
		var current []string
		for _, p := range s.Prompts {
			current = append(current, p.Text)
		}
		if strings.Join(prompts, "\n") != strings.Join(current, "\n") && phaseIndex(s.Phase) >= phaseIndex(PhaseReflect) {
			v.Add("prompts", "Prompts can change only before reflection starts.")
		}
		if in.VoteBudget != s.VoteBudget && phaseIndex(s.Phase) >= phaseIndex(PhaseVote) {
			v.Add("vote_budget", "The vote budget can change only before voting starts.")
		}
		if s.Anonymous && !in.Anonymous {
			var n int64
			if err := tx.Model(&RetroNote{}).Where("session_id = ?", sessionID).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				v.Add("anonymous", "Notes were written anonymously; switching anonymity off now would reveal their authors.")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		res := tx.Model(&RetroSession{}).Where("id = ? AND version = ?", sessionID, version).Updates(map[string]any{
			"title": in.Title, "agenda": in.Agenda, "anonymous": in.Anonymous, "vote_budget": in.VoteBudget,
			"version": gorm.Expr("version + 1"), "updated_at": Now(tx),
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &ConflictError{What: "retro settings", Current: s, Submitted: in, Message: "Someone else changed this a moment ago."}
		}
		if err := replacePrompts(ctx, tx, sessionID, prompts); err != nil {
			return err
		}
		after := *s
		after.Title, after.Agenda, after.Anonymous, after.VoteBudget = in.Title, in.Agenda, in.Anonymous, in.VoteBudget
		changes := Diff(s, &after, "Title", "Agenda", "Anonymous", "VoteBudget")
		if strings.Join(prompts, "\n") != strings.Join(current, "\n") {
			changes["prompts"] = Change{From: current, To: prompts}
		}
		if err := Audit(ctx, tx, actor, AuditUpdate, "retro", sessionID, "changed the set-up of the retro "+quote(in.Title), changes); err != nil {
			return err
		}
		out, err = GetRetro(ctx, tx, sessionID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("models: retro %d settings: %w", sessionID, TranslateError(err))
	}
	return out, nil
}

// RetroComponentIDs are the components a session is about: its incident's
// for a postmortem's session, its own otherwise.
func RetroComponentIDs(s *RetroSession) []int64 {
	var ids []int64
	if s.Postmortem != nil && s.Postmortem.Incident != nil {
		for _, c := range s.Postmortem.Incident.Components {
			ids = append(ids, c.ID)
		}
		return ids
	}
	for _, c := range s.Components {
		ids = append(ids, c.ID)
	}
	return ids
}

// RetroReviewItems are the open action items to look at before this
// session: those of earlier postmortems of incidents on the same
// components, and those of reviews of (and items filed against) the same
// components. The session's own items, and its postmortem's, are left out.
func RetroReviewItems(ctx context.Context, db *gorm.DB, s *RetroSession) ([]ActionItem, error) {
	comps := RetroComponentIDs(s)
	if len(comps) == 0 {
		return nil, nil
	}
	q := db.WithContext(ctx).Model(&ActionItem{}).
		Where("action_items.status IN ?", openActionStatuses).
		Where(`action_items.component_id IN ? OR action_items.postmortem_id IN (
			SELECT p.id FROM postmortems p JOIN incident_components ic ON ic.incident_id = p.incident_id WHERE ic.component_id IN ?)
			OR action_items.review_id IN (SELECT r.id FROM reviews r WHERE r.component_id IN ?)`, comps, comps, comps).
		Where("action_items.retro_session_id IS NULL OR action_items.retro_session_id <> ?", s.ID)
	if s.PostmortemID != nil {
		q = q.Where("action_items.postmortem_id IS NULL OR action_items.postmortem_id <> ?", *s.PostmortemID)
	}
	var out []ActionItem
	err := q.Preload("Owner").Preload("Team").Preload("Component").
		Order("action_items.due_date IS NULL, action_items.due_date, action_items.id").Limit(200).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: retro review items: %w", TranslateError(err))
	}
	return out, nil
}
