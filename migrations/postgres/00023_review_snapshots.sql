-- +goose Up
-- Completing a review stores an immutable snapshot of its answers,
-- findings, scores and template version (JSON).
CREATE TABLE review_snapshots (
    id                  BIGSERIAL PRIMARY KEY,
    review_id           BIGINT NOT NULL UNIQUE REFERENCES reviews (id),
    template_version_id BIGINT NOT NULL REFERENCES review_template_versions (id),
    taken_at            TIMESTAMPTZ NOT NULL,
    data                TEXT NOT NULL
);
-- +goose StatementBegin
CREATE FUNCTION review_snapshots_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'review snapshots never change';
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER review_snapshots_no_change BEFORE UPDATE OR DELETE ON review_snapshots
FOR EACH ROW EXECUTE FUNCTION review_snapshots_immutable();

-- +goose Down
DROP TABLE review_snapshots;
DROP FUNCTION review_snapshots_immutable();
