package main

import (
	"log/slog"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/debrief-sre/debrief/app/followup"
	"github.com/debrief-sre/debrief/app/jobs"
	"github.com/debrief-sre/debrief/app/notify"
)

// newJobs builds this process's job queue with every feature's workers and
// periodic jobs. It is not started: serve starts it once the schema is
// current and stops it after the HTTP server has drained.
func newJobs(cfg *config, db *gorm.DB, log *slog.Logger) (*jobs.Queue, *notify.Mailer, error) {
	workers := river.NewWorkers()
	var mailer *notify.Mailer
	if cfg.SMTP != nil {
		mailer = notify.NewMailer(*cfg.SMTP, cfg.MailFrom)
	}
	notify.AddWorkers(workers, notify.Config{DB: db, Mailer: mailer, Logger: log, AllowPrivate: cfg.WebhookAllowPrivate})
	// Follow-through: reminders to owners and weekly team digests.
	followup.AddWorkers(workers, followup.Config{DB: db, BaseURL: cfg.BaseURL, Location: cfg.Location, Logger: log})

	// Features add their workers above and their periodic jobs here, e.g.
	//   reminders.AddWorkers(workers, reminders.Config{…})
	//   periodic = append(periodic, jobs.NewPeriodic("digests.weekly", jobs.Weekly(time.Monday, 8, 0, cfg.Location), …, false))
	periodic := notify.Periodic()
	periodic = append(periodic, followup.Periodic(cfg.Location)...)

	q, err := jobs.New(db, jobs.Config{Workers: workers, Periodic: periodic, Logger: log})
	if err != nil {
		return nil, nil, err
	}
	return q, mailer, nil
}
