// Package calendar renders iCalendar (RFC 5545) feeds: the due dates of a
// user's open action items as all-day events, for the private feed URL
// people subscribe to from their calendar app.
package calendar

import (
	"io"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/debrief-sre/debrief/models"
)

// Item is one dated entry of a feed.
type Item struct {
	// UID identifies the entry across refreshes, e.g.
	// "action-item-42@debrief.example.com"; calendars update an event
	// with the same UID instead of adding another.
	UID   string
	Title string
	// Due is the date of the all-day event; only its year, month and day
	// count (in Due's location).
	Due         time.Time
	URL         string
	Description string
	// Updated is when the entry last changed (zero: the feed's Now).
	Updated time.Time
}

// Feed is a whole calendar.
type Feed struct {
	Name        string
	Description string
	Items       []Item
	// Now stamps the feed (DTSTAMP): the caller's clock.
	Now time.Time
}

// ContentType is the media type of a feed.
const ContentType = "text/calendar; charset=utf-8"

// Write renders the feed.
func Write(w io.Writer, f Feed) error {
	now := f.Now
	cal := ics.NewCalendarFor("Debrief")
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	name, desc := models.CleanLine(f.Name), models.CleanText(f.Description)
	cal.SetName(name)
	cal.SetXWRCalName(name)
	if desc != "" {
		cal.SetDescription(desc)
		cal.SetXWRCalDesc(desc)
	}
	// Ask subscribers to refresh hourly.
	cal.SetRefreshInterval("PT1H")
	cal.SetXPublishedTTL("PT1H")
	for _, it := range f.Items {
		e := cal.AddEvent(it.UID)
		e.SetDtStampTime(now.UTC())
		updated := it.Updated
		if updated.IsZero() {
			updated = now
		}
		e.SetLastModifiedAt(updated.UTC())
		day := time.Date(it.Due.Year(), it.Due.Month(), it.Due.Day(), 0, 0, 0, 0, time.UTC)
		e.SetAllDayStartAt(day)
		e.SetAllDayEndAt(day.AddDate(0, 0, 1))
		// The library escapes \\ ; , and LF but not CR or other controls,
		// which would end a line early: text leaves as one clean line
		// (titles) or with LF line breaks only (descriptions).
		e.SetSummary(models.CleanLine(it.Title))
		if d := models.CleanText(it.Description); d != "" {
			e.SetDescription(d)
		}
		if it.URL != "" {
			e.SetURL(it.URL)
		}
		e.SetTimeTransparency(ics.TransparencyTransparent)
	}
	// RFC 5545 lines end in CRLF.
	return cal.SerializeTo(w, ics.WithNewLine("\r\n"))
}
