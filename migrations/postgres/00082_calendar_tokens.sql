-- +goose Up
-- Private iCalendar feed URLs: only a SHA-256 of the token is stored; at
-- most one active (unrevoked) token per user.
CREATE TABLE calendar_tokens (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    prefix       TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE UNIQUE INDEX calendar_tokens_active_key ON calendar_tokens (user_id) WHERE revoked_at IS NULL;

-- +goose Down
DROP TABLE calendar_tokens;
