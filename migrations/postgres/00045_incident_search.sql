-- +goose Up
-- Full-text search over incidents (the list's search box). The query uses
-- the same expression, so this index serves it. Dashes, slashes and
-- underscores become spaces: PostgreSQL would read "OPS-1234" as a word and
-- the number -1234.
CREATE INDEX incidents_search_idx ON incidents USING GIN (
    to_tsvector('simple', translate(title || ' ' || summary || ' ' || impact || ' ' || external_id, '-/_', '   '))
);

-- +goose Down
DROP INDEX incidents_search_idx;
