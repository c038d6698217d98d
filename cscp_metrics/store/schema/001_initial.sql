-- Schema version 1: the multi-agency dataset, reference tables and the load record.
CREATE TABLE settings (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

CREATE SEQUENCE load_id_seq START 1;
CREATE TABLE loads (
    load_id INTEGER PRIMARY KEY,
    table_name VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    rows BIGINT,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    outcome VARCHAR NOT NULL,          -- loaded | refused | duplicate
    error_summary VARCHAR,
    loaded_by VARCHAR,
    extra_columns VARCHAR              -- columns kept in `extra` (JSON) because the contract does not name them
);

-- Case-level extracts from children's social care (pseudonymised child ids).
CREATE TABLE children (
    child_id VARCHAR NOT NULL, birth_month DATE, gender VARCHAR, ethnicity VARCHAR,
    disability BOOLEAN, ward VARCHAR, load_id INTEGER NOT NULL, extra JSON
);
CREATE TABLE contacts (
    contact_id VARCHAR NOT NULL, child_id VARCHAR NOT NULL, contact_date DATE NOT NULL,
    source VARCHAR NOT NULL, presenting_issue VARCHAR, rag VARCHAR,
    load_id INTEGER NOT NULL, extra JSON
);
CREATE TABLE referrals (
    referral_id VARCHAR NOT NULL, child_id VARCHAR NOT NULL, referral_date DATE NOT NULL,
    source VARCHAR NOT NULL, rag VARCHAR, outcome VARCHAR,
    load_id INTEGER NOT NULL, extra JSON
);
CREATE TABLE assessments (
    assessment_id VARCHAR NOT NULL, child_id VARCHAR NOT NULL, start_date DATE NOT NULL,
    completed_date DATE, working_days INTEGER, factors VARCHAR,  -- factors: ';'-separated DfE factor codes
    load_id INTEGER NOT NULL, extra JSON
);
CREATE TABLE section47_enquiries (
    enquiry_id VARCHAR NOT NULL, child_id VARCHAR NOT NULL, start_date DATE NOT NULL,
    outcome VARCHAR, load_id INTEGER NOT NULL, extra JSON
);
CREATE TABLE cp_plans (
    plan_id VARCHAR NOT NULL, child_id VARCHAR NOT NULL, start_date DATE NOT NULL,
    end_date DATE, category VARCHAR NOT NULL, load_id INTEGER NOT NULL, extra JSON
);
CREATE TABLE looked_after_episodes (
    episode_id VARCHAR NOT NULL, child_id VARCHAR NOT NULL, start_date DATE NOT NULL,
    end_date DATE, placement_type VARCHAR, distance_miles DOUBLE,
    load_id INTEGER NOT NULL, extra JSON
);
CREATE TABLE missing_episodes (
    episode_id VARCHAR NOT NULL, child_id VARCHAR NOT NULL, start_datetime TIMESTAMP NOT NULL,
    return_datetime TIMESTAMP, rhi_offered_datetime TIMESTAMP, rhi_completed BOOLEAN NOT NULL,
    exploitation_risk VARCHAR NOT NULL, load_id INTEGER NOT NULL, extra JSON
);
CREATE TABLE care_leavers (
    child_id VARCHAR NOT NULL, year_ending DATE NOT NULL, age INTEGER NOT NULL,
    activity VARCHAR NOT NULL, accommodation_suitable BOOLEAN,
    load_id INTEGER NOT NULL, extra JSON
);

-- Partner returns: aggregate figures per agency, measure and period, long form.
CREATE TABLE partner_returns (
    agency VARCHAR NOT NULL, measure_id VARCHAR NOT NULL,
    period_start DATE NOT NULL, period_end DATE NOT NULL,
    breakdown_dimension VARCHAR, breakdown_value VARCHAR,   -- NULL: the total, not a breakdown
    value DOUBLE NOT NULL, load_id INTEGER NOT NULL, extra JSON
);
-- A newer return for the same key supersedes the older one; the older stays in partner_returns.
CREATE VIEW partner_returns_current AS
SELECT * EXCLUDE (rn) FROM (
    SELECT *, row_number() OVER (
        PARTITION BY agency, measure_id, period_start, period_end, breakdown_dimension, breakdown_value
        ORDER BY load_id DESC) AS rn
    FROM partner_returns
) WHERE rn = 1;

-- Reference data.
CREATE TABLE areas (
    area_code VARCHAR PRIMARY KEY, old_la_code VARCHAR, name VARCHAR NOT NULL,
    level VARCHAR NOT NULL, region_code VARCHAR, inner_outer_code VARCHAR
);
CREATE TABLE population (
    area_code VARCHAR NOT NULL, mid_year INTEGER NOT NULL, age_group VARCHAR NOT NULL,
    population DOUBLE NOT NULL, source VARCHAR NOT NULL, vintage VARCHAR NOT NULL
);
CREATE TABLE statistical_neighbours (
    area_code VARCHAR NOT NULL, neighbour_code VARCHAR NOT NULL, rank INTEGER NOT NULL,
    closeness VARCHAR, model VARCHAR NOT NULL
);
CREATE TABLE agencies (agency_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL);
CREATE TABLE presenting_issues (code VARCHAR PRIMARY KEY, label VARCHAR NOT NULL);
CREATE TABLE priority_areas (area_id VARCHAR PRIMARY KEY, title VARCHAR NOT NULL, ord INTEGER NOT NULL);
CREATE TABLE benchmarks (
    indicator_id VARCHAR NOT NULL, period VARCHAR NOT NULL, area_code VARCHAR NOT NULL,
    numerator DOUBLE, denominator DOUBLE, value DOUBLE, missing_reason VARCHAR,
    source VARCHAR NOT NULL, population_vintage VARCHAR,
    published_value DOUBLE              -- the value as DfE printed it, where it prints one
);
