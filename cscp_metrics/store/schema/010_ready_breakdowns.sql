-- Schema version 10: the first drill-down chart of every priority page (its first drillable indicator by its
-- first dimension) for each year of local records, in both views, computed when a version is published
-- (ready/breakdowns.py); the frame as summary.breakdown returns it, in JSON with its column types.
CREATE TABLE ready_breakdowns (
    indicator_id VARCHAR NOT NULL, period VARCHAR NOT NULL, dimension VARCHAR NOT NULL, public BOOLEAN NOT NULL,
    frame VARCHAR NOT NULL
);
