-- +goose Up
-- Incident severities, configurable by admins. rank 1 is the most severe.
-- color names a palette entry of the stylesheet (no inline styles: CSP).
CREATE TABLE severities (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL,
    rank        INTEGER NOT NULL CHECK (rank >= 1),
    description TEXT NOT NULL DEFAULT '',
    color       TEXT NOT NULL DEFAULT 'slate',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX severities_name_key ON severities (lower(name));
CREATE UNIQUE INDEX severities_rank_key ON severities (rank);

INSERT INTO severities (name, rank, description, color, created_at, updated_at) VALUES
    ('SEV1', 1, 'Critical: a core service is down or data is being lost for many customers. All hands; page leadership.', 'red', now(), now()),
    ('SEV2', 2, 'Major: a core service is badly degraded or a significant part of customers is affected.', 'orange', now(), now()),
    ('SEV3', 3, 'Minor: limited impact, a workaround exists, or a non-critical service is affected.', 'amber', now(), now()),
    ('SEV4', 4, 'Low: no customer impact yet; a near miss or a risk worth tracking.', 'blue', now(), now());

-- +goose Down
DROP TABLE severities;
