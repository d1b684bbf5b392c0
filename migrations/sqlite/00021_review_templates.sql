-- +goose Up
-- Review templates are versioned: a version is a draft (editable by
-- admins), published (frozen: reviews start from it) or deprecated.
CREATE TABLE review_templates (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    key         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    builtin     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);

CREATE TABLE review_template_versions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    template_id   INTEGER NOT NULL REFERENCES review_templates (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'deprecated')),
    name          TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL DEFAULT 'editor',
    content_hash  TEXT NOT NULL DEFAULT '',
    created_by_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    published_at  DATETIME,
    deprecated_at DATETIME,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    UNIQUE (template_id, number)
);
-- At most one draft per template.
CREATE UNIQUE INDEX review_template_versions_one_draft ON review_template_versions (template_id) WHERE status = 'draft';

CREATE TABLE review_template_sections (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    template_version_id INTEGER NOT NULL REFERENCES review_template_versions (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    key                 TEXT NOT NULL,
    title               TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    UNIQUE (template_version_id, key)
);

CREATE TABLE review_template_questions (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    template_version_id INTEGER NOT NULL REFERENCES review_template_versions (id) ON DELETE CASCADE,
    section_id          INTEGER NOT NULL REFERENCES review_template_sections (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    key                 TEXT NOT NULL,
    prompt              TEXT NOT NULL,
    guidance            TEXT NOT NULL DEFAULT '',
    evidence            TEXT NOT NULL DEFAULT '',
    risk                TEXT NOT NULL CHECK (risk IN ('high', 'medium', 'low')),
    UNIQUE (template_version_id, key)
);
CREATE INDEX review_template_questions_section_idx ON review_template_questions (section_id, position);

-- A version that left draft never changes: its content is frozen here, in
-- the database, whatever the application does.
CREATE TRIGGER review_template_sections_frozen_update BEFORE UPDATE ON review_template_sections
WHEN (SELECT status FROM review_template_versions WHERE id = OLD.template_version_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a published template version never changes'); END;
CREATE TRIGGER review_template_sections_frozen_delete BEFORE DELETE ON review_template_sections
WHEN (SELECT status FROM review_template_versions WHERE id = OLD.template_version_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a published template version never changes'); END;
CREATE TRIGGER review_template_sections_frozen_insert BEFORE INSERT ON review_template_sections
WHEN (SELECT status FROM review_template_versions WHERE id = NEW.template_version_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a published template version never changes'); END;
CREATE TRIGGER review_template_questions_frozen_update BEFORE UPDATE ON review_template_questions
WHEN (SELECT status FROM review_template_versions WHERE id = OLD.template_version_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a published template version never changes'); END;
CREATE TRIGGER review_template_questions_frozen_delete BEFORE DELETE ON review_template_questions
WHEN (SELECT status FROM review_template_versions WHERE id = OLD.template_version_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a published template version never changes'); END;
CREATE TRIGGER review_template_questions_frozen_insert BEFORE INSERT ON review_template_questions
WHEN (SELECT status FROM review_template_versions WHERE id = NEW.template_version_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a published template version never changes'); END;
CREATE TRIGGER review_template_versions_frozen BEFORE UPDATE OF name, description, number, template_id ON review_template_versions
WHEN OLD.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a published template version never changes'); END;

-- +goose Down
DROP TABLE review_template_questions;
DROP TABLE review_template_sections;
DROP TABLE review_template_versions;
DROP TABLE review_templates;
