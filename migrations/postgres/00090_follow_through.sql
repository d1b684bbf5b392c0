-- +goose Up
-- Follow-through (issue 7).
--
-- closed_on is the calendar day an item was closed, in the instance's time
-- zone (DEBRIEF_TIMEZONE): "done by the due date" compares it with
-- due_date, both plain dates. Rows closed before this column existed get
-- the UTC day of closed_at.
ALTER TABLE action_items ADD COLUMN closed_on DATE;
UPDATE action_items SET closed_on = (closed_at AT TIME ZONE 'UTC')::date WHERE closed_at IS NOT NULL;
-- The incident whose postmortem (or retro) produced the item: follow-through
-- by severity and burn-up per postmortem read it.
ALTER TABLE action_items ADD COLUMN incident_id BIGINT REFERENCES incidents (id) ON DELETE SET NULL;
CREATE INDEX action_items_incident_idx ON action_items (incident_id);
-- Covering indexes for the follow-through figures: each figure reads one
-- range of one of them (open items, items due in a period, items closed in
-- a period, items open at some point of a period, items created in a
-- period) without touching the table, scoped by team or owner.
CREATE INDEX action_items_ft_open_idx ON action_items (status, due_date, created_at, team_id, owner_id, incident_id, review_id);
CREATE INDEX action_items_ft_due_idx ON action_items (due_date, status, closed_on, team_id, owner_id);
CREATE INDEX action_items_ft_closed_on_idx ON action_items (closed_on, status, created_at, closed_at, team_id, owner_id, incident_id, review_id);
CREATE INDEX action_items_ft_closed_at_idx ON action_items (closed_at, created_at, due_date, team_id, owner_id);
CREATE INDEX action_items_ft_created_idx ON action_items (created_at, incident_id, status, closed_at, team_id, owner_id, review_id);
CREATE INDEX action_items_creator_idx ON action_items (creator_id, status);

-- Comments on an action item: a discussion that only grows.
CREATE TABLE action_item_comments (
    id             BIGSERIAL PRIMARY KEY,
    action_item_id BIGINT NOT NULL REFERENCES action_items (id) ON DELETE CASCADE,
    author_id      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    author_name    TEXT NOT NULL,
    body           TEXT NOT NULL CHECK (body <> ''),
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX action_item_comments_item_idx ON action_item_comments (action_item_id, created_at);

-- Reminders scheduled for an item: one row per item, owner, due date and
-- moment (before, due, overdue). The row is written in the transaction that
-- enqueues the notification, so a moment is reminded at most once even if
-- the reminder scan runs again (another instance, a restart).
CREATE TABLE action_item_reminders (
    id             BIGSERIAL PRIMARY KEY,
    action_item_id BIGINT NOT NULL REFERENCES action_items (id) ON DELETE CASCADE,
    owner_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    due_date       DATE NOT NULL,
    moment         TEXT NOT NULL CHECK (moment IN ('before', 'due', 'overdue')),
    send_at        TIMESTAMPTZ NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (action_item_id, owner_id, due_date, moment)
);

-- +goose Down
DROP TABLE action_item_reminders;
DROP TABLE action_item_comments;
DROP INDEX action_items_creator_idx;
DROP INDEX action_items_ft_created_idx;
DROP INDEX action_items_ft_closed_at_idx;
DROP INDEX action_items_ft_closed_on_idx;
DROP INDEX action_items_ft_due_idx;
DROP INDEX action_items_ft_open_idx;
DROP INDEX action_items_incident_idx;
ALTER TABLE action_items DROP COLUMN incident_id;
ALTER TABLE action_items DROP COLUMN closed_on;
