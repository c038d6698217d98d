-- Schema version 8: where to look's signals (every check of every indicator, ranked, both views) computed when a
-- version is published for the years most opened (ready/signals.py); other years are computed live.
CREATE TABLE ready_signals (
    period VARCHAR NOT NULL,
    public BOOLEAN NOT NULL,             -- true: under disclosure control (no count of 1-5)
    signals VARCHAR NOT NULL             -- JSON: every Signal, similar ones included, strongest first, no challenges
);
