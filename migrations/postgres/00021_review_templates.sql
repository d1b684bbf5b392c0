-- +goose Up
-- Review templates are versioned: a version is a draft (editable by
-- admins), published (frozen: reviews start from it) or deprecated.
CREATE TABLE review_templates (
    id          BIGSERIAL PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    builtin     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE review_template_versions (
    id            BIGSERIAL PRIMARY KEY,
    template_id   BIGINT NOT NULL REFERENCES review_templates (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'deprecated')),
    name          TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL DEFAULT 'editor',
    content_hash  TEXT NOT NULL DEFAULT '',
    created_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    published_at  TIMESTAMPTZ,
    deprecated_at TIMESTAMPTZ,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (template_id, number)
);
-- At most one draft per template.
CREATE UNIQUE INDEX review_template_versions_one_draft ON review_template_versions (template_id) WHERE status = 'draft';

CREATE TABLE review_template_sections (
    id                  BIGSERIAL PRIMARY KEY,
    template_version_id BIGINT NOT NULL REFERENCES review_template_versions (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    key                 TEXT NOT NULL,
    title               TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    UNIQUE (template_version_id, key)
);

CREATE TABLE review_template_questions (
    id                  BIGSERIAL PRIMARY KEY,
    template_version_id BIGINT NOT NULL REFERENCES review_template_versions (id) ON DELETE CASCADE,
    section_id          BIGINT NOT NULL REFERENCES review_template_sections (id) ON DELETE CASCADE,
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
-- +goose StatementBegin
CREATE FUNCTION review_template_content_frozen() RETURNS trigger AS $$
DECLARE
    v_id BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        v_id := OLD.template_version_id;
    ELSE
        v_id := NEW.template_version_id;
    END IF;
    IF (SELECT status FROM review_template_versions WHERE id = v_id) <> 'draft' THEN
        RAISE EXCEPTION 'a published template version never changes';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER review_template_sections_frozen BEFORE INSERT OR UPDATE OR DELETE ON review_template_sections
FOR EACH ROW EXECUTE FUNCTION review_template_content_frozen();
CREATE TRIGGER review_template_questions_frozen BEFORE INSERT OR UPDATE OR DELETE ON review_template_questions
FOR EACH ROW EXECUTE FUNCTION review_template_content_frozen();

-- +goose StatementBegin
CREATE FUNCTION review_template_version_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.status <> 'draft' AND (NEW.name IS DISTINCT FROM OLD.name OR NEW.description IS DISTINCT FROM OLD.description
        OR NEW.number IS DISTINCT FROM OLD.number OR NEW.template_id IS DISTINCT FROM OLD.template_id) THEN
        RAISE EXCEPTION 'a published template version never changes';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER review_template_versions_frozen BEFORE UPDATE ON review_template_versions
FOR EACH ROW EXECUTE FUNCTION review_template_version_frozen();

-- +goose Down
DROP TABLE review_template_questions;
DROP TABLE review_template_sections;
DROP TABLE review_template_versions;
DROP TABLE review_templates;
DROP FUNCTION review_template_content_frozen();
DROP FUNCTION review_template_version_frozen();
