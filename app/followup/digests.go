package followup

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/jobs"
	"github.com/debrief-sre/debrief/app/notify"
	"github.com/debrief-sre/debrief/models"
	"github.com/debrief-sre/debrief/views"
)

// SendDigests enqueues this week's digest of overdue items for every team
// that has any: a mail to each of its managers and a post to its channels.
// It returns the number of teams.
func SendDigests(ctx context.Context, cfg Config, q *jobs.Queue, now time.Time) (int, error) {
	db := cfg.DB.WithContext(ctx)
	loc := cfg.loc()
	today := models.Today(now, loc)
	year, week := now.In(loc).ISOWeek()
	weekKey := fmt.Sprintf("%d-W%02d", year, week)
	teams, err := models.ListTeams(ctx, db)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range teams {
		t := &teams[i]
		sent, err := digestTeam(ctx, cfg, db, q, t, today, weekKey)
		if err != nil {
			return n, fmt.Errorf("followup: digest of %s: %w", t.Slug, err)
		}
		if sent {
			n++
		}
	}
	return n, nil
}

// digestLines caps the items a digest lists.
const digestLines = 40

func digestTeam(ctx context.Context, cfg Config, db *gorm.DB, q *jobs.Queue, t *models.Team, today models.Date, weekKey string) (bool, error) {
	aq := models.ActionQuery{Sort: "due", Loc: cfg.loc()}
	aq.TeamID, aq.Overdue, aq.Today, aq.Limit = t.ID, true, today, digestLines
	total, err := models.CountFoundActionItems(ctx, db, aq)
	if err != nil || total == 0 {
		return false, err
	}
	items, err := models.FindActionItems(ctx, db, aq)
	if err != nil {
		return false, err
	}
	members, err := models.TeamMembers(ctx, db, t.ID)
	if err != nil {
		return false, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s has %s past the due date:\n", t.Name, views.Plural(int(total), "open action item", "open action items"))
	for i := range items {
		a := &items[i]
		owner := "nobody"
		if a.Owner != nil {
			owner = a.Owner.Name
		}
		fmt.Fprintf(&b, "\n• %s — %s, due %s (%s overdue)", a.Title, owner, a.DueDate, views.Plural(a.DueDate.DaysUntil(today), "day", "days"))
	}
	if total > int64(len(items)) {
		fmt.Fprintf(&b, "\n\n…and %d more.", total-int64(len(items)))
	}
	b.WriteString("\n\nThe dashboard shows what is slipping and where; every number opens the items behind it.")
	msg := notify.Message{
		Key:     notify.Key("digest", "team", t.ID, "week", weekKey),
		Kind:    models.DeliveryKindDigest,
		Subject: fmt.Sprintf("%s: %s overdue this week", t.Name, views.Plural(int(total), "action item", "action items")),
		Text:    b.String(),
		Link:    cfg.dashboardURL(t.Slug),
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		for _, m := range members {
			if m.Role != models.TeamRoleManager || m.User == nil || m.User.Disabled {
				continue
			}
			if _, _, err := notify.ToUser(ctx, tx, q, m.User, msg); err != nil {
				return err
			}
		}
		_, err := notify.ToTeam(ctx, tx, q, t, msg)
		return err
	})
	return err == nil, err
}
