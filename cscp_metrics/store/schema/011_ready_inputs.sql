-- Schema version 11: what each ready part was computed from, split so a publish can tell what changed
-- (ready/increments.py): `shared` fingerprints everything but the partner returns; `returns` holds, per returned
-- measure, its rows and newest load. An agency's return then recomputes only the indicators counting its measures.
CREATE TABLE ready_inputs (
    part VARCHAR PRIMARY KEY, shared VARCHAR NOT NULL, returns VARCHAR NOT NULL
);
