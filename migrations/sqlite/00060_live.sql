-- +goose Up
-- Live updates. live_topics holds one sequence number per topic (a retro
-- session, say): every published change bumps it inside the writing
-- transaction, and it is the SSE event id that lets a reconnecting browser
-- tell whether it missed anything. live_presence holds one lease per open
-- stream, renewed by the stream's heartbeat and expired when stale, so every
-- instance can list who is connected.
CREATE TABLE live_topics (
    topic      TEXT PRIMARY KEY,
    seq        INTEGER NOT NULL DEFAULT 0,
    updated_at DATETIME NOT NULL
);

CREATE TABLE live_presence (
    id           TEXT PRIMARY KEY,
    topic        TEXT NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    instance     TEXT NOT NULL,
    connected_at DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL
);
CREATE INDEX live_presence_topic_idx ON live_presence (topic, expires_at);
CREATE INDEX live_presence_expires_idx ON live_presence (expires_at);

-- +goose Down
DROP TABLE live_presence;
DROP TABLE live_topics;
