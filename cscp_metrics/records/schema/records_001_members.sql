-- Working records, migration 1: partnership members and their roles. Every change is a new event row
-- (who changed what, when, the previous value); the latest event per email is the member's state.
-- Plain SQL that DuckDB and PostgreSQL both accept.
CREATE SEQUENCE IF NOT EXISTS member_event_seq START 1;
CREATE TABLE IF NOT EXISTS member_events (
    event_id BIGINT PRIMARY KEY,
    email VARCHAR NOT NULL,
    action VARCHAR NOT NULL,            -- added | changed | removed
    role VARCHAR,                       -- NULL once removed
    previous_role VARCHAR,
    changed_at TIMESTAMP NOT NULL,
    changed_by VARCHAR NOT NULL
);
CREATE OR REPLACE VIEW members_current AS
SELECT email, role, changed_at, changed_by FROM (
    SELECT *, row_number() OVER (PARTITION BY email ORDER BY event_id DESC) AS rn FROM member_events
) AS latest WHERE rn = 1 AND action <> 'removed';
