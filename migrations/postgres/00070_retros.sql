-- +goose Up
-- Live retrospectives (issue 6). A session is run by its facilitator
-- through fixed phases; the phase changes by compare-and-set
-- (UPDATE … WHERE phase = expected). Everything a browser shows is stored
-- here, so a reload, a dropped connection or a restart loses nothing.
CREATE TABLE retro_sessions (
    id                BIGSERIAL PRIMARY KEY,
    title             TEXT NOT NULL,
    postmortem_id     BIGINT REFERENCES postmortems (id) ON DELETE SET NULL,
    facilitator_id    BIGINT NOT NULL REFERENCES users (id),
    phase             TEXT NOT NULL DEFAULT 'stage' CHECK (phase IN ('stage', 'review', 'timeline', 'reflect', 'group', 'vote', 'discuss', 'actions', 'close', 'closed')),
    phase_started_at  TIMESTAMPTZ NOT NULL,
    timer_ends_at     TIMESTAMPTZ,
    timer_seconds     INTEGER NOT NULL DEFAULT 0,
    anonymous         BOOLEAN NOT NULL DEFAULT FALSE,
    vote_budget       INTEGER NOT NULL DEFAULT 3 CHECK (vote_budget BETWEEN 1 AND 20),
    notes_revealed_at TIMESTAMPTZ,
    agenda            TEXT NOT NULL DEFAULT '',
    summary           TEXT NOT NULL DEFAULT '',
    closed_at         TIMESTAMPTZ,
    created_by_id     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX retro_sessions_postmortem_idx ON retro_sessions (postmortem_id);
CREATE INDEX retro_sessions_created_idx ON retro_sessions (created_at, id);

-- The components a standalone session is about (a session of a
-- postmortem uses its incident's components).
CREATE TABLE retro_session_components (
    session_id   BIGINT NOT NULL REFERENCES retro_sessions (id) ON DELETE CASCADE,
    component_id BIGINT NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, component_id)
);

-- Reflection prompts of a session ("What went well?").
CREATE TABLE retro_prompts (
    id         BIGSERIAL PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES retro_sessions (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    text       TEXT NOT NULL
);
CREATE INDEX retro_prompts_session_idx ON retro_prompts (session_id, position);

-- Who joined a session. ready_phase is the phase the person said they are
-- ready in (a ready signal lapses when the phase changes); votes_used is
-- checked against the session's budget and bumped in the same statement.
CREATE TABLE retro_participants (
    session_id  BIGINT NOT NULL REFERENCES retro_sessions (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at   TIMESTAMPTZ NOT NULL,
    ready_phase TEXT NOT NULL DEFAULT '',
    votes_used  INTEGER NOT NULL DEFAULT 0 CHECK (votes_used >= 0),
    PRIMARY KEY (session_id, user_id)
);

CREATE TABLE retro_themes (
    id            BIGSERIAL PRIMARY KEY,
    session_id    BIGINT NOT NULL REFERENCES retro_sessions (id) ON DELETE CASCADE,
    title         TEXT NOT NULL,
    created_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX retro_themes_session_idx ON retro_themes (session_id, id);

-- Notes are private to their author until the facilitator reveals them;
-- the server never renders another person's unrevealed note.
CREATE TABLE retro_notes (
    id         BIGSERIAL PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES retro_sessions (id) ON DELETE CASCADE,
    prompt_id  BIGINT NOT NULL REFERENCES retro_prompts (id) ON DELETE CASCADE,
    author_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    theme_id   BIGINT REFERENCES retro_themes (id) ON DELETE SET NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX retro_notes_session_idx ON retro_notes (session_id, prompt_id, id);
CREATE INDEX retro_notes_theme_idx ON retro_notes (theme_id);

-- One row per vote (a person may put several on one theme).
CREATE TABLE retro_votes (
    id         BIGSERIAL PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES retro_sessions (id) ON DELETE CASCADE,
    theme_id   BIGINT NOT NULL REFERENCES retro_themes (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX retro_votes_theme_idx ON retro_votes (theme_id, user_id);
CREATE INDEX retro_votes_user_idx ON retro_votes (session_id, user_id);

-- Timeline events participants propose while walking the timeline; the
-- facilitator accepts them into the incident's timeline.
CREATE TABLE retro_proposals (
    id                BIGSERIAL PRIMARY KEY,
    session_id        BIGINT NOT NULL REFERENCES retro_sessions (id) ON DELETE CASCADE,
    author_id         BIGINT REFERENCES users (id) ON DELETE SET NULL,
    occurred_at       TIMESTAMPTZ NOT NULL,
    kind              TEXT NOT NULL,
    text              TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'dismissed')),
    timeline_event_id BIGINT REFERENCES timeline_events (id) ON DELETE SET NULL,
    decided_by_id     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    decided_at        TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX retro_proposals_session_idx ON retro_proposals (session_id, occurred_at, id);

-- Factors and action items written in a retro.
ALTER TABLE contributing_factors ADD COLUMN retro_session_id BIGINT REFERENCES retro_sessions (id) ON DELETE CASCADE;
ALTER TABLE contributing_factors ADD COLUMN retro_theme_id BIGINT REFERENCES retro_themes (id) ON DELETE SET NULL;
CREATE INDEX contributing_factors_retro_idx ON contributing_factors (retro_session_id, retro_theme_id);
ALTER TABLE action_items ADD COLUMN retro_session_id BIGINT REFERENCES retro_sessions (id) ON DELETE SET NULL;
CREATE INDEX action_items_retro_idx ON action_items (retro_session_id);

-- +goose Down
DROP INDEX action_items_retro_idx;
ALTER TABLE action_items DROP COLUMN retro_session_id;
DROP INDEX contributing_factors_retro_idx;
ALTER TABLE contributing_factors DROP COLUMN retro_theme_id;
ALTER TABLE contributing_factors DROP COLUMN retro_session_id;
DROP TABLE retro_proposals;
DROP TABLE retro_votes;
DROP TABLE retro_notes;
DROP TABLE retro_themes;
DROP TABLE retro_participants;
DROP TABLE retro_prompts;
DROP TABLE retro_session_components;
DROP TABLE retro_sessions;
