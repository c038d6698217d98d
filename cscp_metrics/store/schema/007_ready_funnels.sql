-- Schema version 7: every funnel (DfE indicator x year) computed when a version is published (ready/funnels.py).
CREATE TABLE ready_funnels (
    indicator_id VARCHAR NOT NULL, period VARCHAR NOT NULL,
    points VARCHAR NOT NULL,             -- JSON (pandas 'table' orient): each LA, band, rank
    curves VARCHAR NOT NULL              -- JSON: the 95% and 99.8% limits around all LAs' pooled value
);
