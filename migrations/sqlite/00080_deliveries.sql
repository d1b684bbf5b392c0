-- +goose Up
-- One row per notification (a mail, a Slack post, a webhook call). The
-- idempotency key is what makes a reminder go out at most once for the same
-- item and moment: enqueueing the same key again is a no-op. Failed rows
-- stay, so admins see them and can retry.
--   status: pending → sending → sent | pending (temporary error) | failed;
--           skipped when the recipient muted reminders.
CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'slack', 'webhook')),
    recipient       TEXT NOT NULL,
    user_id         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    team_id         INTEGER REFERENCES teams (id) ON DELETE SET NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL DEFAULT '',
    link            TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    send_after      DATETIME NOT NULL,
    last_attempt_at DATETIME,
    sent_at         DATETIME,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL
);
CREATE INDEX deliveries_status_idx ON deliveries (status, updated_at);
CREATE INDEX deliveries_created_idx ON deliveries (created_at);
CREATE INDEX deliveries_user_idx ON deliveries (user_id);
CREATE INDEX deliveries_team_idx ON deliveries (team_id);

-- +goose Down
DROP TABLE deliveries;
