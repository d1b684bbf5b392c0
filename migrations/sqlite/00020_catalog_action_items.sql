-- +goose Up
-- Review cadence of the component catalog: when the last review was
-- completed and when the next one is due (NULL: never reviewed, due now).
ALTER TABLE components ADD COLUMN last_reviewed_at DATETIME;
ALTER TABLE components ADD COLUMN next_review_due TEXT;
CREATE INDEX components_next_review_due_idx ON components (next_review_due);
CREATE INDEX components_tier_idx ON components (tier);

-- Action items: the shared core that reviews, findings, postmortems and
-- retros create. Dates are TEXT 'YYYY-MM-DD'. review_id and finding_id are
-- added with the reviews tables (00022); later features add their own.
CREATE TABLE action_items (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'blocked', 'done', 'wont_do')),
    status_reason   TEXT NOT NULL DEFAULT '',
    completion_note TEXT NOT NULL DEFAULT '',
    priority        TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high')),
    owner_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    team_id         INTEGER REFERENCES teams (id) ON DELETE SET NULL,
    creator_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    component_id    INTEGER REFERENCES components (id) ON DELETE SET NULL,
    due_date        TEXT,
    source_kind     TEXT NOT NULL DEFAULT 'manual' CHECK (source_kind IN ('review', 'finding', 'postmortem', 'retro', 'manual')),
    external_url    TEXT NOT NULL DEFAULT '',
    closed_at       DATETIME,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    CHECK (status <> 'wont_do' OR status_reason <> '')
);
CREATE INDEX action_items_owner_idx ON action_items (owner_id, status);
CREATE INDEX action_items_status_idx ON action_items (status, due_date);
CREATE INDEX action_items_due_idx ON action_items (due_date);
CREATE INDEX action_items_team_idx ON action_items (team_id, status);
CREATE INDEX action_items_component_idx ON action_items (component_id);

-- Append-only status history of an action item.
CREATE TABLE action_item_events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    action_item_id INTEGER NOT NULL REFERENCES action_items (id) ON DELETE CASCADE,
    at             DATETIME NOT NULL,
    actor_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor_name     TEXT NOT NULL,
    from_status    TEXT NOT NULL DEFAULT '',
    to_status      TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX action_item_events_item_idx ON action_item_events (action_item_id, at);
CREATE TRIGGER action_item_events_no_update BEFORE UPDATE ON action_item_events
BEGIN SELECT RAISE(ABORT, 'action_item_events is append-only'); END;

-- +goose Down
DROP TABLE action_item_events;
DROP TABLE action_items;
DROP INDEX components_tier_idx;
DROP INDEX components_next_review_due_idx;
ALTER TABLE components DROP COLUMN next_review_due;
ALTER TABLE components DROP COLUMN last_reviewed_at;
