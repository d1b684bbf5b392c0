package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Trigger makes the server publish one event that every subscriber's
// stream should show. A feature's load test implements it (or uses the
// form trigger with flags): "a new note added" is a POST that returns,
// and whose rendering contains, the marker.
type Trigger interface {
	// Fire publishes event n and returns a marker that the event's data on
	// every stream contains.
	Fire(ctx context.Context, n int) (marker string, err error)
}

// formTrigger POSTs a form, as htmx would (CSRF header, HX-Request).
type formTrigger struct {
	c    *client
	path string
	form string
	re   *regexp.Regexp
	run  string
}

func newFormTrigger(c *client, path, form, markerRegexp string) (*formTrigger, error) {
	t := &formTrigger{c: c, path: path, form: form}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	t.run = hex.EncodeToString(b)
	if !strings.Contains(form, "{{marker}}") {
		re, err := regexp.Compile(markerRegexp)
		if err != nil || re.NumSubexp() < 1 {
			return nil, usageError{fmt.Errorf("-marker-regexp must compile and have a group: %q", markerRegexp)}
		}
		t.re = re
	}
	return t, nil
}

func (t *formTrigger) Fire(ctx context.Context, n int) (string, error) {
	marker := fmt.Sprintf("lg%s-%d", t.run, n)
	body := strings.NewReplacer("{{n}}", strconv.Itoa(n), "{{marker}}", marker).Replace(t.form)
	vals, err := url.ParseQuery(body)
	if err != nil {
		return "", usageError{fmt.Errorf("-trigger-form: %w", err)}
	}
	tok, err := t.c.csrf(ctx)
	if err != nil {
		return "", err
	}
	res, text, err := t.c.do(ctx, http.MethodPost, t.path, vals, http.Header{"X-Csrf-Token": {tok}, "Hx-Request": {"true"}})
	if err != nil {
		return "", err
	}
	if res.StatusCode >= 300 {
		return "", fmt.Errorf("POST %s answered %d: %s", t.path, res.StatusCode, firstLine(text))
	}
	if t.re == nil {
		return marker, nil
	}
	m := t.re.FindStringSubmatch(text)
	if m == nil {
		return "", fmt.Errorf("no marker matching %s in the response of POST %s: %s", t.re, t.path, firstLine(text))
	}
	return m[1], nil
}
