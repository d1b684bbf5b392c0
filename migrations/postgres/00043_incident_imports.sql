-- +goose Up
-- Uploaded import files between preview and confirmation, and their
-- outcome. content is cleared once the import has run.
CREATE TABLE incident_imports (
    id             BIGSERIAL PRIMARY KEY,
    created_by_id  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    filename       TEXT NOT NULL,
    mapping        TEXT NOT NULL,
    content        BYTEA NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('previewed', 'running', 'done', 'failed')),
    total_rows     INTEGER NOT NULL DEFAULT 0,
    processed_rows INTEGER NOT NULL DEFAULT 0,
    report         TEXT NOT NULL DEFAULT '',
    error          TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    finished_at    TIMESTAMPTZ
);
CREATE INDEX incident_imports_created_idx ON incident_imports (created_at);

-- +goose Down
DROP TABLE incident_imports;
