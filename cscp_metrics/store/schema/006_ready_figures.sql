-- Schema version 6: what pages show, computed when a version is published (cscp_metrics/ready/), so a page
-- reads rows instead of recomputing. Derived data: rebuilt at every publish whose inputs changed.
CREATE TABLE ready_tiles (
    indicator_id VARCHAR NOT NULL, period VARCHAR NOT NULL,
    comparator VARCHAR NOT NULL,         -- '' when the comparator changes nothing but its name on the tile
    public BOOLEAN,                      -- true: under disclosure control (no count of 1-5); NULL: the same in both
    tile VARCHAR NOT NULL                -- JSON: every field of summary.Tile
);
CREATE TABLE ready_builds (
    part VARCHAR PRIMARY KEY,            -- tiles, signals, funnels
    stamp VARCHAR NOT NULL,              -- the inputs it was computed from (ready.stamp.inputs_stamp)
    seconds DOUBLE, built_at TIMESTAMP NOT NULL
);
