-- +goose Up
-- Inbound integrations (PagerDuty v3 webhooks). token is the secret-free
-- path of the webhook URL; secret is PagerDuty's signing secret, kept to
-- verify X-PagerDuty-Signature. priority_map maps PagerDuty priorities to
-- severity names (JSON object).
CREATE TABLE integrations (
    id                  BIGSERIAL PRIMARY KEY,
    kind                TEXT NOT NULL CHECK (kind IN ('pagerduty')),
    name                TEXT NOT NULL,
    token               TEXT NOT NULL UNIQUE,
    secret              TEXT NOT NULL DEFAULT '',
    priority_map        TEXT NOT NULL DEFAULT '{}',
    default_severity_id BIGINT REFERENCES severities (id) ON DELETE SET NULL,
    enabled             BOOLEAN NOT NULL DEFAULT TRUE,
    last_event_at       TIMESTAMPTZ,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);

-- Every webhook event processed, by the sender's event ID: a replay is
-- recognised and changes nothing.
CREATE TABLE webhook_events (
    integration_id BIGINT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    event_id       TEXT NOT NULL,
    event_type     TEXT NOT NULL,
    incident_id    BIGINT REFERENCES incidents (id) ON DELETE SET NULL,
    received_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (integration_id, event_id)
);
CREATE INDEX webhook_events_received_idx ON webhook_events (integration_id, received_at);

-- +goose Down
DROP TABLE webhook_events;
DROP TABLE integrations;
