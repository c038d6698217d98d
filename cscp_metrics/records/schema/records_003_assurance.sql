-- Working records, migration 3: the assurance loop. Risks, audits, practice reviews and actions (recommendations
-- included) each keep their current state in one row; every change, creation included, is a row of
-- record_changes (which record, which field, previous and new value, who, when, why). Links to indicators,
-- agencies and learning themes are rows of record_links. Plain SQL that DuckDB and PostgreSQL both accept.
CREATE SEQUENCE IF NOT EXISTS record_change_seq START 1;
CREATE TABLE IF NOT EXISTS record_changes (
    change_id BIGINT PRIMARY KEY,
    record_kind VARCHAR NOT NULL,       -- risk | audit | review | action | s11
    record_id BIGINT NOT NULL,
    field VARCHAR NOT NULL,             -- a column name, or 'created', or a link ('indicator', 'agency', 'theme')
    previous_value VARCHAR,
    new_value VARCHAR,
    note VARCHAR,
    changed_at TIMESTAMP NOT NULL,
    changed_by VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS record_links (
    record_kind VARCHAR NOT NULL,
    record_id BIGINT NOT NULL,
    link_kind VARCHAR NOT NULL,         -- indicator | agency | theme
    value VARCHAR NOT NULL,
    PRIMARY KEY (record_kind, record_id, link_kind, value)
);
CREATE SEQUENCE IF NOT EXISTS risk_id_seq START 1;
CREATE TABLE IF NOT EXISTS risks (
    risk_id BIGINT PRIMARY KEY,
    title VARCHAR NOT NULL,
    description VARCHAR,
    owner VARCHAR NOT NULL,
    likelihood INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
    impact INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
    area VARCHAR,                       -- a priority area (the page's slug), or NULL
    controls VARCHAR,
    review_by DATE,
    status VARCHAR NOT NULL CHECK (status IN ('open', 'closed')),
    reviewed_on DATE NOT NULL,          -- the last review: linked indicators are judged for movement since
    public BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE SEQUENCE IF NOT EXISTS audit_id_seq START 1;
CREATE TABLE IF NOT EXISTS audits (
    audit_id BIGINT PRIMARY KEY,
    kind VARCHAR NOT NULL,              -- multi-agency themed | single-agency | section 11
    title VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    sample_size INTEGER,
    findings VARCHAR,
    area VARCHAR,
    public BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE TABLE IF NOT EXISTS audit_grades (
    audit_id BIGINT NOT NULL,
    grade VARCHAR NOT NULL,             -- outstanding | good | requires improvement | inadequate
    cases INTEGER NOT NULL CHECK (cases >= 0),
    PRIMARY KEY (audit_id, grade)
);
CREATE SEQUENCE IF NOT EXISTS review_id_seq START 1;
CREATE TABLE IF NOT EXISTS reviews (
    review_id BIGINT PRIMARY KEY,
    kind VARCHAR NOT NULL,              -- rapid review | local practice review | national panel
    title VARCHAR NOT NULL,
    held_on DATE NOT NULL,
    summary VARCHAR,
    area VARCHAR,
    public BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE SEQUENCE IF NOT EXISTS action_id_seq START 1;
CREATE TABLE IF NOT EXISTS actions (
    action_id BIGINT PRIMARY KEY,
    title VARCHAR NOT NULL,
    source_kind VARCHAR NOT NULL,       -- audit | review | s11 | risk | challenge | board
    source_id BIGINT,
    owner VARCHAR NOT NULL,
    started_on DATE NOT NULL,           -- the indicator is compared before this date and since
    due DATE NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('not started', 'on track', 'at risk', 'done')),
    evidence VARCHAR,
    done_on DATE,
    area VARCHAR,
    public BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE SEQUENCE IF NOT EXISTS s11_import_seq START 1;
CREATE TABLE IF NOT EXISTS s11_ratings (
    import_id BIGINT NOT NULL,          -- a later import for the same round and agency replaces the earlier
    round VARCHAR NOT NULL,             -- e.g. 2019
    agency VARCHAR NOT NULL,
    standard VARCHAR NOT NULL,
    rating VARCHAR NOT NULL CHECK (rating IN ('red', 'amber', 'green')),
    evidence VARCHAR,
    imported_at TIMESTAMP NOT NULL,
    imported_by VARCHAR NOT NULL,
    PRIMARY KEY (import_id, standard)
);
CREATE OR REPLACE VIEW s11_current AS
SELECT r.* FROM s11_ratings AS r JOIN (
    SELECT round, agency, max(import_id) AS import_id FROM s11_ratings GROUP BY round, agency
) AS latest ON r.import_id = latest.import_id;
