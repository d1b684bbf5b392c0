-- +goose Up
-- Indexes for the insight aggregations (models/insight_*.go): every
-- insight reads started_at, the columns the common filters test and the
-- timestamps the durations come from, so one index carrying them allows
-- index-only scans (on a vacuumed table) instead of reading whole rows.
CREATE INDEX incidents_insights_idx ON incidents (started_at)
    INCLUDE (severity_id, team_id, detected_at, acknowledged_at, mitigated_at, resolved_at);

-- +goose Down
DROP INDEX incidents_insights_idx;
