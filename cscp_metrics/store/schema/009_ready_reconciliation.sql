-- Schema version 9: the reconciliation of the partnership's figures with DfE's (scrutiny/reconciliation.py),
-- computed when a version is published for the years where to look's signals are (ready/reconciliation.py).
CREATE TABLE ready_reconciliation (
    indicator_id VARCHAR NOT NULL, title VARCHAR NOT NULL, period VARCHAR NOT NULL,
    local_numerator DOUBLE, dfe_numerator DOUBLE, local_denominator DOUBLE, dfe_denominator DOUBLE,
    local_value DOUBLE, local_value_on_dfe_base DOUBLE, dfe_value DOUBLE, difference DOUBLE,
    status VARCHAR NOT NULL, reason VARCHAR NOT NULL
);
