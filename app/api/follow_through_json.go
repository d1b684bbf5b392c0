package api

import (
	"time"

	"github.com/debrief-sre/debrief/models"
)

type completionJSON struct {
	Due         int64    `json:"due"`
	OnTime      int64    `json:"on_time"`
	Late        int64    `json:"late"`
	OpenOverdue int64    `json:"open_overdue"`
	NotYetDue   int64    `json:"not_yet_due"`
	WontDo      int64    `json:"wont_do"`
	Rate        *float64 `json:"rate"`
}

func toCompletionJSON(c models.Completion) completionJSON {
	out := completionJSON{Due: c.Due, OnTime: c.OnTime, Late: c.Late, OpenOverdue: c.OpenOverdue, NotYetDue: c.NotYetDue, WontDo: c.WontDo}
	if r, ok := c.Rate(); ok {
		out.Rate = &r
	}
	return out
}

type followThroughJSON struct {
	Scope struct {
		Team     *string `json:"team"`
		Owner    *string `json:"owner"`
		From     string  `json:"from"`
		To       string  `json:"to"`
		Today    string  `json:"today"`
		TimeZone string  `json:"timezone"`
	} `json:"scope"`
	Open       int64          `json:"open"`
	Overdue    int64          `json:"overdue"`
	DueIn7     int64          `json:"due_in_7_days"`
	DueIn30    int64          `json:"due_in_30_days"`
	Completion completionJSON `json:"completion"`
	Closing    struct {
		Closed        int64    `json:"closed"`
		WontDo        int64    `json:"wont_do"`
		WontDoShare   *float64 `json:"wont_do_share"`
		MedianSeconds *float64 `json:"median_seconds"`
		P90Seconds    *float64 `json:"p90_seconds"`
		MeanSeconds   *float64 `json:"mean_seconds"`
	} `json:"closing"`
	Aging      []agingJSON     `json:"aging"`
	Trend      []trendJSON     `json:"trend"`
	BySeverity []severityJSON  `json:"by_severity"`
	Breakdown  []breakdownJSON `json:"breakdown,omitempty"`
	BreakBy    string          `json:"breakdown_by,omitempty"`
	ItemsURL   string          `json:"items_url"`
}

type agingJSON struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	MinDays int    `json:"min_days"`
	MaxDays *int   `json:"max_days"`
	Count   int64  `json:"count"`
}

type trendJSON struct {
	At      time.Time `json:"at"`
	Day     string    `json:"day"`
	Now     bool      `json:"now"`
	Open    int64     `json:"open"`
	Overdue int64     `json:"overdue"`
}

type severityJSON struct {
	Severity *string      `json:"severity"`
	Items    int64        `json:"items"`
	Open     int64        `json:"open"`
	Within   []withinJSON `json:"closed_within"`
}

type withinJSON struct {
	Days     int      `json:"days"`
	Eligible int64    `json:"eligible"`
	Closed   int64    `json:"closed"`
	Rate     *float64 `json:"rate"`
}

type breakdownJSON struct {
	Team          *string        `json:"team,omitempty"`
	Owner         *string        `json:"owner,omitempty"`
	Open          int64          `json:"open"`
	Overdue       int64          `json:"overdue"`
	DueIn7        int64          `json:"due_in_7_days"`
	Completion    completionJSON `json:"completion"`
	Closed        int64          `json:"closed"`
	WontDo        int64          `json:"wont_do"`
	MedianSeconds *float64       `json:"median_seconds"`
	P90Seconds    *float64       `json:"p90_seconds"`
}
