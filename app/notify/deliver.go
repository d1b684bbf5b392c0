package notify

import (
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/debrief-sre/debrief/models"
)

// DeliverArgs is the job that sends one delivery.
type DeliverArgs struct {
	DeliveryID int64 `json:"delivery_id"`
}

// Kind names the job in River's tables.
func (DeliverArgs) Kind() string { return "notify_deliver" }

type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	cfg Config
}

// interruptedMsg explains a delivery whose earlier attempt never reported
// back: sending it again could send it twice, so it is left to an admin.
const interruptedMsg = "An earlier attempt stopped while sending (the process ended or lost the database), so it may or may not have arrived. Retry it if it did not."

// Work sends the delivery at most once: the attempt is claimed (pending →
// sending) and committed before anything goes out, and the outcome is
// recorded afterwards. A delivery found still "sending" was interrupted
// mid-send; it is marked failed rather than sent again.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	db := w.cfg.DB
	id := job.Args.DeliveryID
	d, claimed, err := models.ClaimDelivery(ctx, db, id)
	if errors.Is(err, models.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if !claimed {
		if d.Status == models.DeliverySending {
			return models.FailDelivery(context.WithoutCancel(ctx), db, id, models.DeliverySending, interruptedMsg)
		}
		return nil // sent, skipped or failed already: nothing to do
	}
	// Whatever happens to ctx from here on, record the outcome.
	rec := context.WithoutCancel(ctx)
	if reason, err := w.skipReason(ctx, d); err != nil {
		_ = models.MarkDeliveryError(rec, db, id, err.Error(), job.Attempt >= job.MaxAttempts)
		return err
	} else if reason != "" {
		return models.SkipDelivery(rec, db, id, reason)
	}
	sendErr := w.send(ctx, d)
	if sendErr == nil {
		return models.MarkDeliverySent(rec, db, id)
	}
	permanent := isPermanent(sendErr)
	final := permanent || job.Attempt >= job.MaxAttempts
	if err := models.MarkDeliveryError(rec, db, id, sendErr.Error(), final); err != nil {
		return errors.Join(sendErr, err)
	}
	w.cfg.Logger.WarnContext(ctx, "notification not delivered", "delivery", id, "channel", d.Channel,
		"attempt", job.Attempt, "final", final, "err", sendErr)
	if permanent {
		return river.JobCancel(sendErr)
	}
	return sendErr
}

// skipReason says why a delivery should not go out at all.
func (w *deliverWorker) skipReason(ctx context.Context, d *models.Delivery) (string, error) {
	if d.UserID == nil {
		return "", nil
	}
	u, err := models.GetUser(ctx, w.cfg.DB, *d.UserID)
	if errors.Is(err, models.ErrNotFound) {
		return "The recipient's account no longer exists.", nil
	}
	if err != nil {
		return "", err
	}
	switch {
	case u.Disabled:
		return "The recipient's account is disabled.", nil
	case u.MuteReminders && d.Kind == models.DeliveryKindReminder:
		return "The recipient muted reminders.", nil
	}
	return "", nil
}

func (w *deliverWorker) send(ctx context.Context, d *models.Delivery) error {
	switch d.Channel {
	case models.ChannelEmail:
		if w.cfg.Mailer == nil {
			return Permanent(errors.New("mail is not configured: set DEBRIEF_SMTP_URL and DEBRIEF_MAIL_FROM"))
		}
		return w.cfg.Mailer.Send(ctx, mailFor(d))
	case models.ChannelSlack, models.ChannelWebhook:
		if d.TeamID == nil {
			return Permanent(errors.New("the delivery names no team"))
		}
		t, err := models.GetTeam(ctx, w.cfg.DB, *d.TeamID)
		if errors.Is(err, models.ErrNotFound) {
			return Permanent(errors.New("the team no longer exists"))
		}
		if err != nil {
			return err
		}
		if d.Channel == models.ChannelSlack {
			if t.SlackWebhookURL == nil || *t.SlackWebhookURL == "" {
				return Permanent(fmt.Errorf("team %s has no Slack webhook URL", t.Slug))
			}
			return postSlack(ctx, w.cfg.HTTP, *t.SlackWebhookURL, d)
		}
		if t.WebhookURL == nil || *t.WebhookURL == "" || t.WebhookSecret == nil {
			return Permanent(fmt.Errorf("team %s has no webhook URL", t.Slug))
		}
		return postWebhook(ctx, w.cfg.HTTP, *t.WebhookURL, *t.WebhookSecret, t.Slug, d, models.Now(w.cfg.DB))
	}
	return Permanent(fmt.Errorf("unknown channel %q", d.Channel))
}

// permanentError is a failure that another attempt cannot fix (a 5xx SMTP
// reply, a 4xx from a webhook, a missing setting).
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as not worth retrying.
func Permanent(err error) error { return permanentError{err} }

func isPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}
