-- +goose Up
-- Incidents. Timestamps are stored in UTC; insights group started_at by
-- weekday and hour in a configured zone and compute durations from the
-- other timestamps, so each one is its own column. number makes the key
-- INC-<number>; external_source + external_id make imports and webhooks
-- idempotent.
CREATE TABLE incidents (
    id              BIGSERIAL PRIMARY KEY,
    number          BIGINT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    severity_id     BIGINT REFERENCES severities (id) ON DELETE RESTRICT,
    status          TEXT NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved', 'closed')),
    started_at      TIMESTAMPTZ NOT NULL,
    detected_at     TIMESTAMPTZ,
    acknowledged_at TIMESTAMPTZ,
    mitigated_at    TIMESTAMPTZ,
    resolved_at     TIMESTAMPTZ,
    team_id         BIGINT REFERENCES teams (id) ON DELETE SET NULL,
    commander_id    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    scribe_id       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    comms_lead_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    impact          TEXT NOT NULL DEFAULT '',
    summary         TEXT NOT NULL DEFAULT '',
    links           TEXT NOT NULL DEFAULT '[]',
    external_source TEXT NOT NULL DEFAULT '',
    external_id     TEXT NOT NULL DEFAULT '',
    created_by_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX incidents_external_key ON incidents (external_source, external_id) WHERE external_id <> '';
CREATE INDEX incidents_started_idx ON incidents (started_at, id);
CREATE INDEX incidents_status_idx ON incidents (status, started_at);
CREATE INDEX incidents_severity_idx ON incidents (severity_id, started_at);
CREATE INDEX incidents_team_idx ON incidents (team_id, started_at);
CREATE INDEX incidents_commander_idx ON incidents (commander_id);

-- The last incident number handed out (one row); UPDATE … RETURNING on it
-- serialises concurrent creators, and a rollback gives the number back.
CREATE TABLE incident_sequence (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    last_number BIGINT NOT NULL
);
INSERT INTO incident_sequence (id, last_number) VALUES (1, 0);

CREATE TABLE incident_components (
    incident_id  BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    component_id BIGINT NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, component_id)
);
CREATE INDEX incident_components_component_idx ON incident_components (component_id, incident_id);

CREATE TABLE incident_tags (
    incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    tag         TEXT NOT NULL,
    PRIMARY KEY (incident_id, tag)
);
CREATE INDEX incident_tags_tag_idx ON incident_tags (tag, incident_id);

-- +goose Down
DROP TABLE incident_tags;
DROP TABLE incident_components;
DROP TABLE incident_sequence;
DROP TABLE incidents;
