-- +goose Up
-- Operational reviews of a component against one template version.
CREATE TABLE reviews (
    id                  BIGSERIAL PRIMARY KEY,
    component_id        BIGINT NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    template_version_id BIGINT NOT NULL REFERENCES review_template_versions (id),
    title               TEXT NOT NULL,
    status              TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_progress', 'in_review', 'completed', 'archived')),
    facilitator_id      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    creator_id          BIGINT REFERENCES users (id) ON DELETE SET NULL,
    scheduled_for       DATE,
    started_at          TIMESTAMPTZ,
    submitted_at        TIMESTAMPTZ,
    completed_at        TIMESTAMPTZ,
    archived_at         TIMESTAMPTZ,
    decision            TEXT NOT NULL DEFAULT '' CHECK (decision IN ('', 'ready', 'ready_with_conditions', 'not_ready')),
    decision_notes      TEXT NOT NULL DEFAULT '',
    signed_off_by_id    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    previous_review_id  BIGINT REFERENCES reviews (id) ON DELETE SET NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX reviews_component_idx ON reviews (component_id, status);
CREATE INDEX reviews_status_idx ON reviews (status, updated_at);

CREATE TABLE review_participants (
    review_id BIGINT NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (review_id, user_id)
);

-- One row per question of the review's template version, created with the
-- review; each answer has its own version so concurrent edits of different
-- questions never collide and edits of the same one conflict visibly.
CREATE TABLE review_answers (
    id            BIGSERIAL PRIMARY KEY,
    review_id     BIGINT NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    question_key  TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT '' CHECK (state IN ('', 'met', 'partial', 'not_met', 'not_applicable')),
    reason        TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    evidence      TEXT NOT NULL DEFAULT '[]',
    version       INTEGER NOT NULL DEFAULT 1,
    updated_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    answered_at   TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (review_id, question_key),
    CHECK (state <> 'not_applicable' OR reason <> '')
);

-- Findings belong to a component; review_id is the review that raised them.
CREATE TABLE findings (
    id                   BIGSERIAL PRIMARY KEY,
    component_id         BIGINT NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    review_id            BIGINT NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    question_key         TEXT NOT NULL DEFAULT '',
    title                TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    risk                 TEXT NOT NULL CHECK (risk IN ('critical', 'high', 'medium', 'low')),
    status               TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'mitigated', 'resolved')),
    approver_id          BIGINT REFERENCES users (id) ON DELETE SET NULL,
    acceptance_rationale TEXT NOT NULL DEFAULT '',
    accepted_until       DATE,
    accepted_at          TIMESTAMPTZ,
    closed_at            TIMESTAMPTZ,
    creator_id           BIGINT REFERENCES users (id) ON DELETE SET NULL,
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    CHECK (status <> 'accepted' OR (approver_id IS NOT NULL AND acceptance_rationale <> '' AND accepted_until IS NOT NULL))
);
CREATE INDEX findings_component_idx ON findings (component_id, status);
CREATE INDEX findings_review_idx ON findings (review_id);

-- Which findings each review tracks: its own, and the open ones carried
-- over from earlier reviews of the component.
CREATE TABLE review_findings (
    review_id    BIGINT NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    finding_id   BIGINT NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    carried_over BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (review_id, finding_id)
);
CREATE INDEX review_findings_finding_idx ON review_findings (finding_id);

ALTER TABLE action_items ADD COLUMN review_id BIGINT REFERENCES reviews (id) ON DELETE SET NULL;
ALTER TABLE action_items ADD COLUMN finding_id BIGINT REFERENCES findings (id) ON DELETE SET NULL;
CREATE INDEX action_items_review_idx ON action_items (review_id);
CREATE INDEX action_items_finding_idx ON action_items (finding_id);

-- +goose Down
DROP INDEX action_items_finding_idx;
DROP INDEX action_items_review_idx;
ALTER TABLE action_items DROP COLUMN finding_id;
ALTER TABLE action_items DROP COLUMN review_id;
DROP TABLE review_findings;
DROP TABLE findings;
DROP TABLE review_answers;
DROP TABLE review_participants;
DROP TABLE reviews;
