package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The retro scenario loads a live retrospective the way a big meeting
// does: every subscriber watches one session's stream, and each event is a
// new reflection note, POSTed as the page posts it. The note's rendering
// on every stream carries the marker. All subscribers are the signed-in
// user, the note's author, so every stream may show the note; the
// latency measured is from the POST to the note's arrival on each stream.
//
//	loadgen -scenario retro -subscribers 200 -events 20 -email … -password …
//
// Without -retro it opens a standalone session (the user needs the
// facilitator role; the first-run admin has it) and moves it to
// reflection; with -retro ID it uses that session, which must be in
// reflection.

var promptField = regexp.MustCompile(`name="prompt" value="(\d+)"`)

// setupRetro prepares the session and returns its stream path and the
// trigger that adds a note.
func setupRetro(ctx context.Context, c *client, o *options) (string, Trigger, error) {
	id := o.retro
	if id == 0 {
		var err error
		if id, err = openRetro(ctx, c); err != nil {
			return "", nil, err
		}
	}
	page := "/retros/" + strconv.FormatInt(id, 10)
	res, body, err := c.do(ctx, http.MethodGet, page, nil, nil)
	if err != nil {
		return "", nil, err
	}
	if res.StatusCode != http.StatusOK {
		return "", nil, fmt.Errorf("GET %s answered %d: %s", page, res.StatusCode, firstLine(body))
	}
	m := promptField.FindStringSubmatch(body)
	if m == nil {
		return "", nil, fmt.Errorf("retro %d is not in reflection (no note form on %s)", id, page)
	}
	trig, err := newFormTrigger(c, page+"/notes", "prompt="+m[1]+"&text=Load+test+note+{{marker}}", "")
	return page + "/stream", trig, err
}

// openRetro opens a standalone session and moves it to reflection.
func openRetro(ctx context.Context, c *client) (int64, error) {
	tok, err := c.csrf(ctx)
	if err != nil {
		return 0, err
	}
	res, body, err := c.do(ctx, http.MethodPost, "/retros", url.Values{
		"_csrf": {tok}, "title": {"Load test " + time.Now().UTC().Format("2006-01-02 15:04:05")},
		"prompts": {"What is it like under load?"}, "vote_budget": {"3"},
	}, nil)
	if err != nil {
		return 0, err
	}
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/retros/") {
		return 0, fmt.Errorf("opening a retro answered %d (does the user have the facilitator role?): %s", res.StatusCode, firstLine(body))
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/retros/"), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("opening a retro led to %q", loc)
	}
	hdr := http.Header{"X-Csrf-Token": {tok}, "Hx-Request": {"true"}}
	for _, step := range [][2]string{{"stage", "review"}, {"review", "reflect"}} {
		res, body, err := c.do(ctx, http.MethodPost, loc+"/phase", url.Values{"from": {step[0]}, "to": {step[1]}}, hdr)
		if err != nil {
			return 0, err
		}
		if res.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("moving retro %d to %s answered %d: %s", id, step[1], res.StatusCode, firstLine(body))
		}
	}
	return id, nil
}
