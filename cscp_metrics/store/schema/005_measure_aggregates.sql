-- Schema version 5: every measure by period (financial year, quarter, month) and breakdown, built when data
-- is loaded (aggregates.py), so pages read small tables instead of re-scanning case rows on every rerun.
CREATE TABLE measure_aggregates (
    measure_id VARCHAR NOT NULL, period VARCHAR NOT NULL, period_kind VARCHAR NOT NULL, period_start DATE NOT NULL,
    dimension VARCHAR NOT NULL,          -- '' for the total
    b VARCHAR, v DOUBLE
);
CREATE TABLE aggregate_builds (
    measure_id VARCHAR NOT NULL, dimension VARCHAR NOT NULL, periods VARCHAR[] NOT NULL,
    up_to_load INTEGER NOT NULL          -- the newest loaded load_id the aggregate includes
);
-- pages look aggregates up by exact key: an index makes that a point lookup at England scale
CREATE INDEX measure_aggregates_key ON measure_aggregates (measure_id, period, dimension);
