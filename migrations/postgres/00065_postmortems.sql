-- +goose Up
-- Postmortems (issue 6). A postmortem template is an ordered list of
-- Markdown sections that admins edit; exactly one template is the default.
-- A postmortem copies its template's sections when it is created, so later
-- template edits never change an existing document.
CREATE TABLE postmortem_templates (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    is_default  BOOLEAN NOT NULL DEFAULT FALSE,
    archived    BOOLEAN NOT NULL DEFAULT FALSE,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX postmortem_templates_name_key ON postmortem_templates (lower(name));
CREATE UNIQUE INDEX postmortem_templates_default_key ON postmortem_templates (is_default) WHERE is_default;

CREATE TABLE postmortem_template_sections (
    id          BIGSERIAL PRIMARY KEY,
    template_id BIGINT NOT NULL REFERENCES postmortem_templates (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    key         TEXT NOT NULL,
    title       TEXT NOT NULL,
    guidance    TEXT NOT NULL DEFAULT '',
    UNIQUE (template_id, key)
);
CREATE INDEX postmortem_template_sections_idx ON postmortem_template_sections (template_id, position);

-- Defaults per severity: how many days after the postmortem is started it
-- is due, and who facilitates it unless someone else is chosen.
CREATE TABLE postmortem_severity_defaults (
    severity_id    BIGINT PRIMARY KEY REFERENCES severities (id) ON DELETE CASCADE,
    due_days       INTEGER NOT NULL CHECK (due_days BETWEEN 1 AND 365),
    facilitator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);

-- One postmortem per incident.
CREATE TABLE postmortems (
    id                  BIGSERIAL PRIMARY KEY,
    incident_id         BIGINT NOT NULL UNIQUE REFERENCES incidents (id) ON DELETE CASCADE,
    template_id         BIGINT REFERENCES postmortem_templates (id) ON DELETE SET NULL,
    status              TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_review', 'published')),
    owner_id            BIGINT REFERENCES users (id) ON DELETE SET NULL,
    facilitator_id      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    due_date            TEXT,
    created_by_id       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    review_requested_at TIMESTAMPTZ,
    published_at        TIMESTAMPTZ,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX postmortems_status_idx ON postmortems (status, due_date);
CREATE INDEX postmortems_owner_idx ON postmortems (owner_id, status);

-- The Markdown sections of a postmortem. Each has its own version, so two
-- people writing different sections never conflict, and two writing the
-- same one never silently overwrite each other.
CREATE TABLE postmortem_sections (
    id            BIGSERIAL PRIMARY KEY,
    postmortem_id BIGINT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    key           TEXT NOT NULL,
    title         TEXT NOT NULL,
    guidance      TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    updated_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (postmortem_id, key)
);
CREATE INDEX postmortem_sections_idx ON postmortem_sections (postmortem_id, position);

-- Earlier texts of a section. Autosaves by one author within a few minutes
-- fold into one revision, so the history reads as editing sessions.
CREATE TABLE postmortem_section_revisions (
    id          BIGSERIAL PRIMARY KEY,
    section_id  BIGINT NOT NULL REFERENCES postmortem_sections (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    body        TEXT NOT NULL,
    author_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    author_name TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX postmortem_section_revisions_idx ON postmortem_section_revisions (section_id, id);

-- Contributing factors and findings of a postmortem (and, from 00070, of a
-- retro theme).
CREATE TABLE contributing_factors (
    id            BIGSERIAL PRIMARY KEY,
    postmortem_id BIGINT REFERENCES postmortems (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('contributing_factor', 'finding')),
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    created_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX contributing_factors_postmortem_idx ON contributing_factors (postmortem_id, kind, id);

-- Action items of a postmortem.
ALTER TABLE action_items ADD COLUMN postmortem_id BIGINT REFERENCES postmortems (id) ON DELETE SET NULL;
CREATE INDEX action_items_postmortem_idx ON action_items (postmortem_id);

-- Our default template.
INSERT INTO postmortem_templates (name, description, is_default, created_at, updated_at) VALUES
    ('Blameless postmortem', 'Debrief''s default: what happened, how it made sense at the time, and what we learn from it.', TRUE, now(), now());
INSERT INTO postmortem_template_sections (template_id, position, key, title, guidance)
    SELECT t.id, s.position, s.key, s.title, s.guidance FROM postmortem_templates t, (VALUES
    (1, 'summary', 'Summary', 'Two or three sentences a busy reader can stop after: what happened, the impact, and how it ended.'),
    (2, 'impact', 'Impact', 'Who was affected, how, for how long and how much (requests, customers, money, data). Say how you measured it.'),
    (3, 'timeline', 'Timeline narrative', 'Tell the story in order, using the timeline below: what people saw, what they thought it meant, and what they did next.'),
    (4, 'contributing_factors', 'Contributing factors', 'The conditions that made the outcome possible. There is rarely one root cause: list technical, process and organisational factors.'),
    (5, 'went_well', 'What went well', 'What helped: alerts that fired, tools and runbooks that worked, people who knew where to look.'),
    (6, 'was_hard', 'What was hard', 'What slowed the response down or made it confusing: missing signals, unclear ownership, tools that got in the way.'),
    (7, 'lucky', 'Where we got lucky', 'What kept this from being worse by chance rather than by design. These are often the best places to invest.'),
    (8, 'lessons', 'Lessons learned', 'What we understand now that we did not before, about the system and about how we work.'),
    (9, 'supporting', 'Supporting information', 'Links to dashboards, logs, chat threads, tickets and documents.')
    ) AS s (position, key, title, guidance) WHERE t.is_default;
INSERT INTO postmortem_severity_defaults (severity_id, due_days, updated_at)
    SELECT id, CASE rank WHEN 1 THEN 7 WHEN 2 THEN 10 WHEN 3 THEN 14 ELSE 30 END, now() FROM severities;

-- +goose Down
DROP INDEX action_items_postmortem_idx;
ALTER TABLE action_items DROP COLUMN postmortem_id;
DROP TABLE contributing_factors;
DROP TABLE postmortem_section_revisions;
DROP TABLE postmortem_sections;
DROP TABLE postmortems;
DROP TABLE postmortem_severity_defaults;
DROP TABLE postmortem_template_sections;
DROP TABLE postmortem_templates;
