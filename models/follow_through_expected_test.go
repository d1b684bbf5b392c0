package models_test

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/debrief-sre/debrief/models"
)

// expected computes the figures from the generated rows, straight from
// the definitions (no deltas, no SQL).
func (w *ftWorld) expected(s models.FollowThroughScope) models.FollowThrough {
	loc := s.Loc
	now := s.Now
	today := models.Today(now, loc)
	f := models.FollowThrough{Today: today}
	open := func(a models.ActionItem) bool { return !models.ActionClosed(a.Status) }
	inScope := func(a models.ActionItem) bool {
		if s.TeamID != 0 && (a.TeamID == nil || *a.TeamID != s.TeamID) {
			return false
		}
		if s.OwnerID != 0 && (a.OwnerID == nil || *a.OwnerID != s.OwnerID) {
			return false
		}
		if s.SeverityID != 0 {
			if a.IncidentID == nil {
				return false
			}
			if sev := w.incidents[*a.IncidentID]; sev == nil || *sev != s.SeverityID {
				return false
			}
		}
		return true
	}
	between := func(d *models.Date, from, to models.Date) bool {
		return d != nil && !d.Before(from) && !d.After(to)
	}
	f.Aging = make([]models.AgingBucket, len(models.AgingBuckets()))
	copy(f.Aging, models.AgingBuckets())
	var closeSecs []float64
	bySev := map[string]*models.SeverityFollowThrough{}
	rangeStart, rangeEnd := models.Midnight(s.From, loc), models.Midnight(s.To.AddDays(1), loc)
	for _, a := range w.items {
		if !inScope(a) {
			continue
		}
		if open(a) {
			f.Open++
			if a.DueDate != nil && a.DueDate.Before(today) {
				f.Overdue++
			}
			if between(a.DueDate, today, today.AddDays(7)) {
				f.DueIn7++
			}
			if between(a.DueDate, today, today.AddDays(30)) {
				f.DueIn30++
			}
			age := int(math.Floor(now.Sub(a.CreatedAt).Hours() / 24))
			for i, b := range f.Aging {
				if age >= b.Min && (b.Max < 0 || age <= b.Max) || (i == 0 && age < 0) {
					f.Aging[i].Count++
				}
			}
		}
		if between(a.DueDate, s.From, s.To) {
			c := &f.Completion
			c.Due++
			switch {
			case a.Status == models.ActionDone && !a.ClosedOn.After(*a.DueDate):
				c.OnTime++
			case a.Status == models.ActionDone:
				c.Late++
			case a.Status == models.ActionWontDo:
				c.WontDo++
			case a.DueDate.Before(today):
				c.OpenOverdue++
			default:
				c.NotYetDue++
			}
		}
		if models.ActionClosed(a.Status) && between(a.ClosedOn, s.From, s.To) {
			f.Closing.Closed++
			if a.Status == models.ActionWontDo {
				f.Closing.WontDo++
			}
			closeSecs = append(closeSecs, math.Max(0, a.ClosedAt.Sub(a.CreatedAt).Seconds()))
		}
		if a.IncidentID != nil && !a.CreatedAt.Before(rangeStart) && a.CreatedAt.Before(rangeEnd) {
			sev := w.incidents[*a.IncidentID]
			key := "none"
			if sev != nil {
				key = fmt.Sprint(*sev)
			}
			g := bySev[key]
			if g == nil {
				g = &models.SeverityFollowThrough{SeverityID: sev}
				for _, d := range models.WithinDays() {
					g.Within = append(g.Within, models.ClosedWithin{Days: d})
				}
				bySev[key] = g
			}
			g.Items++
			if open(a) {
				g.Open++
			}
			for i, d := range models.WithinDays() {
				if a.CreatedAt.After(now.Add(-time.Duration(d) * 24 * time.Hour)) {
					continue
				}
				g.Within[i].Eligible++
				if a.ClosedAt != nil && a.ClosedAt.Sub(a.CreatedAt) <= time.Duration(d)*24*time.Hour {
					g.Within[i].Closed++
				}
			}
		}
	}
	if len(closeSecs) > 0 {
		slices.Sort(closeSecs)
		med, p90 := models.Quantile(closeSecs, 0.5), models.Quantile(closeSecs, 0.9)
		var sum float64
		for _, v := range closeSecs {
			sum += v
		}
		mean := sum / float64(len(closeSecs))
		f.Closing.MedianSeconds, f.Closing.P90Seconds, f.Closing.MeanSeconds = &med, &p90, &mean
	}
	for _, p := range models.TrendPoints(s.From, s.To, now, loc) {
		for _, a := range w.items {
			if !inScope(a) || !a.CreatedAt.Before(p.At) || (a.ClosedAt != nil && a.ClosedAt.Before(p.At)) {
				continue
			}
			p.Open++
			if a.DueDate != nil && a.DueDate.Before(p.Day) {
				p.Overdue++
			}
		}
		f.Trend = append(f.Trend, p)
	}
	for _, sv := range w.sevs {
		if g := bySev[fmt.Sprint(sv.ID)]; g != nil {
			g.Name, g.Rank, g.Color = sv.Name, sv.Rank, sv.Color
			f.BySeverity = append(f.BySeverity, *g)
		}
	}
	if g := bySev["none"]; g != nil {
		f.BySeverity = append(f.BySeverity, *g)
	}
	return f
}
