-- Working records, migration 2: which partner returns are expected (the schedule) and every upload attempt.
-- An agency without a schedule row is expected quarterly, due 30 days after the quarter ends.
CREATE SEQUENCE IF NOT EXISTS return_schedule_seq START 1;
CREATE TABLE IF NOT EXISTS return_schedule_events (
    event_id BIGINT PRIMARY KEY,
    agency VARCHAR NOT NULL,
    frequency VARCHAR NOT NULL,         -- quarterly | annual | none (not expected)
    due_days INTEGER NOT NULL,          -- days after the period ends
    changed_at TIMESTAMP NOT NULL,
    changed_by VARCHAR NOT NULL
);
CREATE OR REPLACE VIEW return_schedule AS
SELECT agency, frequency, due_days FROM (
    SELECT *, row_number() OVER (PARTITION BY agency ORDER BY event_id DESC) AS rn FROM return_schedule_events
) AS latest WHERE rn = 1;
CREATE SEQUENCE IF NOT EXISTS return_attempt_seq START 1;
CREATE TABLE IF NOT EXISTS return_attempts (
    attempt_id BIGINT PRIMARY KEY,
    agency VARCHAR NOT NULL,
    period_start DATE,                  -- the earliest and latest period the file claimed, when readable
    period_end DATE,
    outcome VARCHAR NOT NULL,           -- loaded | refused | duplicate | not allowed
    reason VARCHAR,
    load_id INTEGER,
    attempted_at TIMESTAMP NOT NULL,
    attempted_by VARCHAR NOT NULL
);
