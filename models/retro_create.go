package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

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
