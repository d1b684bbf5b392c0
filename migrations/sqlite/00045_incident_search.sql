-- +goose Up
-- Full-text search over incidents (the list's search box): an FTS5 index
-- kept in step with the incidents table by triggers.
CREATE VIRTUAL TABLE incidents_fts USING fts5(
    title, summary, impact, external_id,
    content='incidents', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO incidents_fts (incidents_fts) VALUES ('rebuild');

-- +goose StatementBegin
CREATE TRIGGER incidents_fts_insert AFTER INSERT ON incidents BEGIN
    INSERT INTO incidents_fts (rowid, title, summary, impact, external_id)
    VALUES (new.id, new.title, new.summary, new.impact, new.external_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER incidents_fts_delete AFTER DELETE ON incidents BEGIN
    INSERT INTO incidents_fts (incidents_fts, rowid, title, summary, impact, external_id)
    VALUES ('delete', old.id, old.title, old.summary, old.impact, old.external_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER incidents_fts_update AFTER UPDATE OF title, summary, impact, external_id ON incidents BEGIN
    INSERT INTO incidents_fts (incidents_fts, rowid, title, summary, impact, external_id)
    VALUES ('delete', old.id, old.title, old.summary, old.impact, old.external_id);
    INSERT INTO incidents_fts (rowid, title, summary, impact, external_id)
    VALUES (new.id, new.title, new.summary, new.impact, new.external_id);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER incidents_fts_update;
DROP TRIGGER incidents_fts_delete;
DROP TRIGGER incidents_fts_insert;
DROP TABLE incidents_fts;
