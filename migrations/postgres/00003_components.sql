-- +goose Up
-- The component catalog: what reviews review and incidents affect.
CREATE TABLE components (
    id                   BIGSERIAL PRIMARY KEY,
    name                 TEXT NOT NULL,
    slug                 TEXT NOT NULL UNIQUE,
    team_id              BIGINT REFERENCES teams (id) ON DELETE SET NULL,
    tier                 INTEGER NOT NULL DEFAULT 2 CHECK (tier BETWEEN 1 AND 3),
    description          TEXT NOT NULL DEFAULT '',
    links                TEXT NOT NULL DEFAULT '[]',
    review_interval_days INTEGER NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX components_team_idx ON components (team_id);

CREATE TABLE component_tags (
    component_id BIGINT NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    tag          TEXT NOT NULL,
    PRIMARY KEY (component_id, tag)
);
CREATE INDEX component_tags_tag_idx ON component_tags (tag);

-- +goose Down
DROP TABLE component_tags;
DROP TABLE components;
