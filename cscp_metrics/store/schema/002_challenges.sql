-- Schema version 2: the scrutineer's challenge log, with every change kept.
CREATE SEQUENCE challenge_id_seq START 1;
CREATE TABLE challenge_events (
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
CREATE VIEW challenges_current AS
SELECT * EXCLUDE (rn) FROM (
    SELECT *, row_number() OVER (PARTITION BY challenge_id ORDER BY recorded_at DESC) AS rn
    FROM challenge_events
) WHERE rn = 1;
