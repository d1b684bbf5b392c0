-- +goose Up
-- Indexes for the insight aggregations (models/insight_*.go).
--
-- SQLite stores times as text, so every aggregation over started_at would
-- parse 100,000 timestamps. These indexes store the parsed values: the
-- Unix time of started_at and each duration in seconds, as expressions
-- the queries repeat word for word, so SQLite reads them from the index
-- (a covering scan) instead of the table.
--
-- incidents_insights_idx covers every insight query that groups by time
-- (with the columns the common filters test); the four duration indexes
-- are ordered by the duration, so a quantile is a walk to the n-th entry
-- instead of a sort.
CREATE INDEX incidents_insights_idx ON incidents (
    started_at, severity_id, team_id,
    unixepoch(started_at, 'subsec'),
    (unixepoch(detected_at, 'subsec') - unixepoch(started_at, 'subsec')),
    (unixepoch(acknowledged_at, 'subsec') - unixepoch(started_at, 'subsec')),
    (unixepoch(mitigated_at, 'subsec') - unixepoch(started_at, 'subsec')),
    (unixepoch(resolved_at, 'subsec') - unixepoch(started_at, 'subsec')),
    (unixepoch(COALESCE(mitigated_at, resolved_at), 'subsec') - unixepoch(started_at, 'subsec'))
);
CREATE INDEX incidents_ttd_idx ON incidents ((unixepoch(detected_at, 'subsec') - unixepoch(started_at, 'subsec')), started_at, severity_id, team_id);
CREATE INDEX incidents_tta_idx ON incidents ((unixepoch(acknowledged_at, 'subsec') - unixepoch(started_at, 'subsec')), started_at, severity_id, team_id);
CREATE INDEX incidents_ttm_idx ON incidents ((unixepoch(mitigated_at, 'subsec') - unixepoch(started_at, 'subsec')), started_at, severity_id, team_id);
CREATE INDEX incidents_ttr_idx ON incidents ((unixepoch(resolved_at, 'subsec') - unixepoch(started_at, 'subsec')), started_at, severity_id, team_id);

-- +goose Down
DROP INDEX incidents_ttr_idx;
DROP INDEX incidents_ttm_idx;
DROP INDEX incidents_tta_idx;
DROP INDEX incidents_ttd_idx;
DROP INDEX incidents_insights_idx;
