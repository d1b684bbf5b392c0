-- +goose Up
-- The timeline of an incident: discrete, timestamped events. milestone
-- names the incident timestamp the event set ('' for none); source says
-- where it came from ('' typed, 'paste', 'pagerduty', 'import').
CREATE TABLE timeline_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    occurred_at DATETIME NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('detection', 'observation', 'action', 'decision', 'communication', 'milestone')),
    text        TEXT NOT NULL,
    milestone   TEXT NOT NULL DEFAULT '' CHECK (milestone IN ('', 'started', 'detected', 'acknowledged', 'mitigated', 'resolved')),
    author_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    source      TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE INDEX timeline_events_incident_idx ON timeline_events (incident_id, occurred_at, id);

-- +goose Down
DROP TABLE timeline_events;
