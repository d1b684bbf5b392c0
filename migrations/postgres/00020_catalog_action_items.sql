-- +goose Up
-- Review cadence of the component catalog: when the last review was
-- completed and when the next one is due (NULL: never reviewed, due now).
ALTER TABLE components ADD COLUMN last_reviewed_at TIMESTAMPTZ;
ALTER TABLE components ADD COLUMN next_review_due DATE;
CREATE INDEX components_next_review_due_idx ON components (next_review_due);
CREATE INDEX components_tier_idx ON components (tier);

-- Action items: the shared core that reviews, findings, postmortems and
-- retros create. review_id and finding_id are added with the reviews
-- tables (00022); later features add their own.
CREATE TABLE action_items (
    id              BIGSERIAL PRIMARY KEY,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'blocked', 'done', 'wont_do')),
    status_reason   TEXT NOT NULL DEFAULT '',
    completion_note TEXT NOT NULL DEFAULT '',
    priority        TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high')),
    owner_id        BIGINT REFERENCES users (id) ON DELETE SET NULL,
    team_id         BIGINT REFERENCES teams (id) ON DELETE SET NULL,
    creator_id      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    component_id    BIGINT REFERENCES components (id) ON DELETE SET NULL,
    due_date        DATE,
    source_kind     TEXT NOT NULL DEFAULT 'manual' CHECK (source_kind IN ('review', 'finding', 'postmortem', 'retro', 'manual')),
    external_url    TEXT NOT NULL DEFAULT '',
    closed_at       TIMESTAMPTZ,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    CHECK (status <> 'wont_do' OR status_reason <> '')
);
CREATE INDEX action_items_owner_idx ON action_items (owner_id, status);
CREATE INDEX action_items_status_idx ON action_items (status, due_date);
CREATE INDEX action_items_due_idx ON action_items (due_date);
CREATE INDEX action_items_team_idx ON action_items (team_id, status);
CREATE INDEX action_items_component_idx ON action_items (component_id);

-- Append-only status history of an action item.
CREATE TABLE action_item_events (
    id             BIGSERIAL PRIMARY KEY,
    action_item_id BIGINT NOT NULL REFERENCES action_items (id) ON DELETE CASCADE,
    at             TIMESTAMPTZ NOT NULL,
    actor_id       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    actor_name     TEXT NOT NULL,
    from_status    TEXT NOT NULL DEFAULT '',
    to_status      TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX action_item_events_item_idx ON action_item_events (action_item_id, at);

-- +goose StatementBegin
CREATE FUNCTION action_item_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'action_item_events is append-only';
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER action_item_events_no_update BEFORE UPDATE ON action_item_events
    FOR EACH ROW EXECUTE FUNCTION action_item_events_append_only();

-- +goose Down
DROP TABLE action_item_events;
DROP FUNCTION action_item_events_append_only();
DROP TABLE action_items;
DROP INDEX components_tier_idx;
DROP INDEX components_next_review_due_idx;
ALTER TABLE components DROP COLUMN next_review_due;
ALTER TABLE components DROP COLUMN last_reviewed_at;
