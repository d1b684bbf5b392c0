-- +goose Up
-- Uploaded import files between preview and confirmation, and their
-- outcome. content is cleared once the import has run.
CREATE TABLE incident_imports (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    created_by_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    filename       TEXT NOT NULL,
    mapping        TEXT NOT NULL,
    content        BLOB NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('previewed', 'running', 'done', 'failed')),
    total_rows     INTEGER NOT NULL DEFAULT 0,
    processed_rows INTEGER NOT NULL DEFAULT 0,
    report         TEXT NOT NULL DEFAULT '',
    error          TEXT NOT NULL DEFAULT '',
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL,
    finished_at    DATETIME
);
CREATE INDEX incident_imports_created_idx ON incident_imports (created_at);

-- +goose Down
DROP TABLE incident_imports;
