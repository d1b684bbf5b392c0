-- +goose Up
-- The timeline of an incident: discrete, timestamped events. milestone
-- names the incident timestamp the event set ('' for none); source says
-- where it came from ('' typed, 'paste', 'pagerduty', 'import').
CREATE TABLE timeline_events (
    id          BIGSERIAL PRIMARY KEY,
    incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    occurred_at TIMESTAMPTZ NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('detection', 'observation', 'action', 'decision', 'communication', 'milestone')),
    text        TEXT NOT NULL,
    milestone   TEXT NOT NULL DEFAULT '' CHECK (milestone IN ('', 'started', 'detected', 'acknowledged', 'mitigated', 'resolved')),
    author_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    source      TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX timeline_events_incident_idx ON timeline_events (incident_id, occurred_at, id);

-- +goose Down
DROP TABLE timeline_events;
