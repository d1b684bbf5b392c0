package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/debrief-sre/debrief/models"
)

// SlackText formats a delivery for a Slack-compatible incoming webhook:
// the subject in bold, the text, and the link. &, < and > are escaped as
// Slack requires, so text cannot inject mentions or links.
func SlackText(d *models.Delivery) string {
	var b strings.Builder
	b.WriteString("*" + slackEscape(d.Subject) + "*")
	if d.Body != "" {
		b.WriteString("\n" + slackEscape(d.Body))
	}
	if d.Link != "" {
		b.WriteString("\n<" + slackEscape(d.Link) + "|Open in Debrief>")
	}
	return b.String()
}

var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func slackEscape(s string) string { return slackEscaper.Replace(s) }

func postSlack(ctx context.Context, c *http.Client, url string, d *models.Delivery) error {
	body, err := json.Marshal(map[string]any{"text": SlackText(d), "mrkdwn": true})
	if err != nil {
		return Permanent(err)
	}
	return post(ctx, c, url, body, nil)
}

// WebhookPayload is the JSON body of a generic outbound webhook call.
type WebhookPayload struct {
	ID             int64  `json:"id"`
	IdempotencyKey string `json:"idempotency_key"`
	Kind           string `json:"kind"`
	Team           string `json:"team"`
	Subject        string `json:"subject"`
	Text           string `json:"text"`
	Link           string `json:"link,omitempty"`
	CreatedAt      string `json:"created_at"`
}

// Webhook signature headers. The signature is
// "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body)); a receiver
// recomputes it with the team's secret, compares in constant time and
// rejects old timestamps. Idempotency-Key is the same on every retry.
const (
	HeaderSignature = "X-Debrief-Signature"
	HeaderTimestamp = "X-Debrief-Timestamp"
	HeaderEvent     = "X-Debrief-Event"
)

// Sign computes the signature header value for body sent at timestamp.
func Sign(secret string, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(timestamp, 10) + "."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// VerifySignature checks a signature header made by Sign.
func VerifySignature(secret string, timestamp int64, body []byte, signature string) bool {
	return hmac.Equal([]byte(Sign(secret, timestamp, body)), []byte(signature))
}

func postWebhook(ctx context.Context, c *http.Client, url, secret, team string, d *models.Delivery, now time.Time) error {
	body, err := json.Marshal(WebhookPayload{
		ID: d.ID, IdempotencyKey: d.IdempotencyKey, Kind: d.Kind, Team: team,
		Subject: d.Subject, Text: d.Body, Link: d.Link, CreatedAt: d.CreatedAt.UTC().Format(time.RFC3339),
	})
	if err != nil {
		return Permanent(err)
	}
	ts := now.Unix()
	return post(ctx, c, url, body, http.Header{
		HeaderSignature:   {Sign(secret, ts, body)},
		HeaderTimestamp:   {strconv.FormatInt(ts, 10)},
		HeaderEvent:       {d.Kind},
		"Idempotency-Key": {d.IdempotencyKey},
	})
}

// post sends JSON and classifies the answer: 2xx is done; 408, 429 and 5xx
// and network errors are worth another try; any other status is permanent.
func post(ctx context.Context, c *http.Client, url string, body []byte, h http.Header) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return Permanent(fmt.Errorf("webhook URL: %w", err))
	}
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Debrief")
	res, err := c.Do(req)
	if errors.Is(err, ErrPrivateTarget) {
		return Permanent(fmt.Errorf("webhook: %w", ErrPrivateTarget))
	}
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	defer res.Body.Close()
	// The body is read (so the connection can be reused) but never shown:
	// whatever the receiver, or something posing as it, answers stays out
	// of the deliveries page and the logs. The status code says enough.
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode >= 200 && res.StatusCode < 300 {
		return nil
	}
	err = fmt.Errorf("webhook answered %d", res.StatusCode)
	if res.StatusCode >= 300 && res.StatusCode < 400 {
		err = fmt.Errorf("webhook answered %d (a redirect, which is not followed: use the final URL)", res.StatusCode)
	}
	if res.StatusCode == http.StatusRequestTimeout || res.StatusCode == http.StatusTooManyRequests || res.StatusCode >= 500 {
		return err
	}
	return Permanent(err)
}
