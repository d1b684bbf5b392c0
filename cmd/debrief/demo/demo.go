// Package demo fills an empty Debrief database with a realistic
// organisation so that a newcomer sees every page alive: teams, people,
// components, operational reviews at every stage (with one pair to
// compare), the public cloud post-mortems as incident history, the
// organisation's own incidents with timelines, and action items with
// believable due and completion dates.
//
// Everything is made through the same model functions the app uses
// (validation, audit trail), from a fixed random seed with dates relative
// to Options.Now; afterwards a few timestamps the models set to "now"
// (review completions, closing dates) are moved back to when the story
// says they happened.
package demo

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/models"
)

// CloudCSV is the public cloud post-mortem collection (see data/README.md
// for its origin and licence).
//
//go:embed data/cloud_incidents.csv
var CloudCSV []byte

// CloudMapping is the import mapping for CloudCSV, a copy of
// docs/mappings/cloud_incidents.yaml.
//
//go:embed data/cloud_incidents.yaml
var CloudMapping []byte

// Attribution credits the imported data.
//
//go:embed data/README.md
var Attribution string

// DefaultPassword signs every demo user in. It is printed by the command;
// a demo is not a production instance.
const DefaultPassword = "debrief-demo-2026"

// Options tune Seed.
type Options struct {
	// Now anchors every relative date (default: time.Now).
	Now time.Time
	// Password for every demo user (default DefaultPassword).
	Password string
	// Seed makes the invented data reproducible (default 2026).
	Seed uint64
	// Progress reports steps (may be nil).
	Progress func(step string)
}

// Credential is a demo sign-in.
type Credential struct {
	Name, Email, Role, Password, About string
}

// Result says what the demo made.
type Result struct {
	Credentials                []Credential
	Teams, Users, Components   int
	Incidents, CloudIncidents  int
	Reviews, Findings, Actions int
	TimelineEvents             int
	Postmortems, Retros        int
}

// ErrNotEmpty means the database already holds data; the demo never mixes
// invented records into real ones.
var ErrNotEmpty = errors.New("the database is not empty")

// NotEmptyError says what the database already holds.
type NotEmptyError struct{ What string }

func (e *NotEmptyError) Error() string {
	return fmt.Sprintf("the database is not empty (it has %s); the demo only fills an empty database — point DATABASE_URL at a new one, for example sqlite:demo.db", e.What)
}

func (e *NotEmptyError) Unwrap() error { return ErrNotEmpty }

// CheckEmpty returns a *NotEmptyError when the database holds any user,
// team, component, incident, review or action item.
func CheckEmpty(ctx context.Context, db *gorm.DB) error {
	for _, c := range []struct {
		table, what string
	}{
		{"users", "users"}, {"teams", "teams"}, {"components", "components"},
		{"incidents", "incidents"}, {"reviews", "reviews"}, {"action_items", "action items"},
	} {
		var n int64
		if err := db.WithContext(ctx).Table(c.table).Count(&n).Error; err != nil {
			return fmt.Errorf("demo: check %s: %w", c.table, err)
		}
		if n > 0 {
			return &NotEmptyError{What: fmt.Sprintf("%d %s", n, c.what)}
		}
	}
	return nil
}

// seeder carries the state of one run.
type seeder struct {
	ctx   context.Context
	db    *gorm.DB
	opt   Options
	now   time.Time
	home  *time.Location
	r     *rand.Rand
	res   *Result
	users map[string]*models.User // by handle
	teams map[string]*models.Team
	comps map[string]*models.Component
	sevs  map[string]*models.Severity
	// incidents of the organisation by component slug, oldest first.
	incidents map[string][]*models.Incident
	findings  []plannedFinding
}

// plannedFinding is a finding the reviews recorded, for its action item.
type plannedFinding struct {
	finding *models.Finding
	review  *models.Review
	plan    reviewPlan
}

// Seed fills an empty database. It refuses (ErrNotEmpty) when the
// database holds anything already.
func Seed(ctx context.Context, db *gorm.DB, opt Options) (*Result, error) {
	if err := CheckEmpty(ctx, db); err != nil {
		return nil, err
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.Password == "" {
		opt.Password = DefaultPassword
	}
	if len([]rune(opt.Password)) < models.MinPasswordLength {
		return nil, fmt.Errorf("demo: the password needs at least %d characters", models.MinPasswordLength)
	}
	if opt.Seed == 0 {
		opt.Seed = 2026
	}
	home, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		home = time.UTC
	}
	res := &Result{}
	// All or nothing: a demo that stops half-way leaves the database empty.
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		s := &seeder{
			ctx: ctx, db: tx, opt: opt, now: opt.Now.UTC().Truncate(time.Second), home: home,
			r: rand.New(rand.NewPCG(opt.Seed, 8)), res: res,
			users: map[string]*models.User{}, teams: map[string]*models.Team{}, comps: map[string]*models.Component{},
			sevs: map[string]*models.Severity{}, incidents: map[string][]*models.Incident{},
		}
		for _, step := range []struct {
			name string
			fn   func() error
		}{
			{"people and teams", s.people},
			{"components", s.components},
			{"cloud incident history", s.cloudHistory},
			{"incidents", s.orgIncidents},
			{"reviews", s.reviews},
			{"action items", s.actionItems},
			{"postmortems and a retro", s.postmortems},
		} {
			if opt.Progress != nil {
				opt.Progress(step.name)
			}
			if err := step.fn(); err != nil {
				return fmt.Errorf("demo: %s: %w", step.name, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// days is a duration of n days.
func days(n float64) time.Duration { return time.Duration(n * 24 * float64(time.Hour)) }

// ago is the instant d before now.
func (s *seeder) ago(d time.Duration) time.Time { return s.now.Add(-d) }

// today is the date in the organisation's home zone, moved by n days.
func (s *seeder) date(n int) models.Date {
	return models.Today(s.now, s.home).AddDays(n)
}

// pick chooses from weighted options.
func pick[T any](r *rand.Rand, items []T, weight func(T) float64) T {
	total := 0.0
	for _, it := range items {
		total += weight(it)
	}
	x := r.Float64() * total
	for _, it := range items {
		x -= weight(it)
		if x < 0 {
			return it
		}
	}
	return items[len(items)-1]
}

// actor is the audit actor of a demo user.
func (s *seeder) actor(handle string) models.Actor {
	return models.ActorOf(s.users[handle], "demo")
}
