-- +goose Up
-- Where a team's notifications go besides mail: a Slack-compatible incoming
-- webhook, and a generic outbound webhook signed with HMAC-SHA256.
ALTER TABLE teams ADD COLUMN slack_webhook_url TEXT;
ALTER TABLE teams ADD COLUMN webhook_url TEXT;
ALTER TABLE teams ADD COLUMN webhook_secret TEXT;
-- A user who mutes reminders gets no reminder mails (digests still come).
ALTER TABLE users ADD COLUMN mute_reminders BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE users DROP COLUMN mute_reminders;
ALTER TABLE teams DROP COLUMN webhook_secret;
ALTER TABLE teams DROP COLUMN webhook_url;
ALTER TABLE teams DROP COLUMN slack_webhook_url;
