package models

import (
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Follow-through figures: how well action items get done, for a scope
// (a team, an owner, a component, incidents of a severity or tag) and a
// date range. Every figure is computed in SQL (per dialect where functions
// differ); the definitions below are shown next to each figure.

// FollowThroughScope selects the items the figures count and the period.
// Zero IDs do not filter. From and To are days in Loc (inclusive).
type FollowThroughScope struct {
	TeamID      int64
	OwnerID     int64
	ComponentID int64
	// SeverityID and IncidentTag keep items of incidents with that
	// severity or tag (postmortem and retro items).
	SeverityID  int64
	IncidentTag string

	From, To Date
	// Now is the time the scope is seen at (zero: the database's clock,
	// filled in by the functions that take a database; Today, Query and
	// Validate read it as it is); Loc the instance's zone, in which
	// "today" and the range's days are counted.
	Now time.Time
	Loc *time.Location
}

func (s FollowThroughScope) now() time.Time { return UTC(s.Now) }

// at is s seen at the database's clock unless s.Now is set.
func (s FollowThroughScope) at(db *gorm.DB) FollowThroughScope {
	if s.Now.IsZero() {
		s.Now = Now(db)
	}
	s.Now = UTC(s.Now)
	return s
}

func (s FollowThroughScope) loc() *time.Location {
	if s.Loc == nil {
		return time.UTC
	}
	return s.Loc
}

// Today is the current day in the scope's zone.
func (s FollowThroughScope) Today() Date { return Today(s.now(), s.loc()) }

// Query is the list filter with the scope's selection (not its period):
// the base of every link from a figure to the items behind it.
func (s FollowThroughScope) Query() ActionQuery {
	q := ActionQuery{SeverityID: s.SeverityID, IncidentTag: s.IncidentTag, Now: s.now(), Loc: s.loc()}
	q.TeamID, q.OwnerID, q.ComponentID = s.TeamID, s.OwnerID, s.ComponentID
	q.Today = s.Today()
	return q
}

// Validate checks the period.
func (s FollowThroughScope) Validate() error {
	v := &ValidationError{}
	switch {
	case s.From.IsZero():
		v.Add("from", "Enter the first day of the period as YYYY-MM-DD.")
	case s.To.IsZero():
		v.Add("to", "Enter the last day of the period as YYYY-MM-DD.")
	case s.To.Before(s.From):
		v.Add("to", "The period ends before it starts.")
	case s.From.DaysUntil(s.To) > MaxFollowThroughDays:
		v.Add("from", fmt.Sprintf("Choose a period of at most %d days.", MaxFollowThroughDays))
	case s.From.After(s.Today()):
		v.Add("from", "The period starts in the future.")
	}
	return v.Err()
}

// MaxFollowThroughDays caps a period (two years of weekly trend points).
const MaxFollowThroughDays = 731

// where is the scope's selection as SQL on action_items aliased ai.
func (s FollowThroughScope) where() (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	if s.TeamID != 0 {
		conds, args = append(conds, "ai.team_id = ?"), append(args, s.TeamID)
	}
	if s.OwnerID != 0 {
		conds, args = append(conds, "ai.owner_id = ?"), append(args, s.OwnerID)
	}
	if s.ComponentID != 0 {
		conds, args = append(conds, "ai.component_id = ?"), append(args, s.ComponentID)
	}
	if s.SeverityID != 0 {
		conds, args = append(conds, "ai.incident_id IN (SELECT id FROM incidents WHERE severity_id = ?)"), append(args, s.SeverityID)
	}
	if s.IncidentTag != "" {
		conds, args = append(conds, "ai.incident_id IN (SELECT incident_id FROM incident_tags WHERE tag = ?)"), append(args, s.IncidentTag)
	}
	return strings.Join(conds, " AND "), args
}
