-- The scrutineer's challenge log: every change is a new event row; the latest event per challenge is its state.
CREATE SEQUENCE IF NOT EXISTS challenge_id_seq START 1;
CREATE SEQUENCE IF NOT EXISTS challenge_event_seq START 1;
CREATE TABLE IF NOT EXISTS challenge_events (
    event_id BIGINT NOT NULL,
    challenge_id INTEGER NOT NULL,
    indicator_id VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    question VARCHAR NOT NULL,
    owner_agency VARCHAR NOT NULL,
    due_date DATE,
    status VARCHAR NOT NULL,            -- open | answered | closed
    response VARCHAR,
    recorded_at TIMESTAMP NOT NULL,
    recorded_by VARCHAR
);
CREATE OR REPLACE VIEW challenges_current AS
SELECT * EXCLUDE (rn, event_id) FROM (
    SELECT *, row_number() OVER (PARTITION BY challenge_id ORDER BY event_id DESC) AS rn
    FROM challenge_events
) WHERE rn = 1;
