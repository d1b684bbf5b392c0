-- +goose Up
-- Completing a review stores an immutable snapshot of its answers,
-- findings, scores and template version (JSON).
CREATE TABLE review_snapshots (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id           INTEGER NOT NULL UNIQUE REFERENCES reviews (id),
    template_version_id INTEGER NOT NULL REFERENCES review_template_versions (id),
    taken_at            DATETIME NOT NULL,
    data                TEXT NOT NULL
);
CREATE TRIGGER review_snapshots_no_update BEFORE UPDATE ON review_snapshots
BEGIN SELECT RAISE(ABORT, 'review snapshots never change'); END;
CREATE TRIGGER review_snapshots_no_delete BEFORE DELETE ON review_snapshots
BEGIN SELECT RAISE(ABORT, 'review snapshots never change'); END;

-- +goose Down
DROP TABLE review_snapshots;

