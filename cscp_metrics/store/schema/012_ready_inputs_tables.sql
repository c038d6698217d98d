-- Schema version 12: per case-record table, its rows and newest load when a ready part was computed
-- (ready/increments.py), so a load of one table recomputes only the indicators whose measures read it. NULL (a
-- part recorded before this version): the part is computed whole once more.
ALTER TABLE ready_inputs ADD COLUMN tables VARCHAR;
