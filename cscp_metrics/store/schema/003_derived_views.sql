-- Schema version 3: derived views the indicator engine reads (DfE definitions, DATA-AND-METHODS section 2).
CREATE VIEW children_x AS
SELECT child_id, any_value(birth_month) AS birth_month, any_value(gender) AS gender,
       any_value(ethnicity) AS ethnicity, bool_or(disability) AS disability, any_value(ward) AS ward
FROM children GROUP BY child_id;

CREATE MACRO age_band(birth_month, on_day) AS
    CASE WHEN birth_month IS NULL THEN 'unknown'
         WHEN date_diff('month', birth_month, on_day) < 12 THEN 'under 1'
         WHEN date_diff('month', birth_month, on_day) < 60 THEN '1-4'
         WHEN date_diff('month', birth_month, on_day) < 120 THEN '5-9'
         WHEN date_diff('month', birth_month, on_day) < 192 THEN '10-15'
         ELSE '16+' END;

-- DfE re-referral: a previous referral for the child on or after the same date twelve months earlier.
CREATE VIEW referrals_x AS
SELECT r.*, EXISTS (
           SELECT 1 FROM referrals p
           WHERE p.child_id = r.child_id AND p.referral_date < r.referral_date
             AND p.referral_date >= CAST(r.referral_date - INTERVAL 1 YEAR AS DATE)) AS is_re_referral,
       age_band(c.birth_month, r.referral_date) AS age_band, c.gender, c.ethnicity, c.ward,
       coalesce(c.disability, false) AS disability
FROM referrals r LEFT JOIN children_x c USING (child_id);

CREATE VIEW contacts_x AS
SELECT k.*, age_band(c.birth_month, k.contact_date) AS age_band, c.gender, c.ethnicity, c.ward
FROM contacts k LEFT JOIN children_x c USING (child_id);

CREATE VIEW assessments_x AS
SELECT a.*, string_split(coalesce(a.factors, ''), ';') AS factor_list,
       age_band(c.birth_month, a.completed_date) AS age_band, c.gender, c.ethnicity, c.ward
FROM assessments a LEFT JOIN children_x c USING (child_id);

-- Second or subsequent plan: the child had any earlier plan, however long ago.
CREATE VIEW cp_plans_x AS
SELECT p.*, EXISTS (SELECT 1 FROM cp_plans e WHERE e.child_id = p.child_id AND e.start_date < p.start_date) AS is_subsequent,
       age_band(c.birth_month, p.start_date) AS age_band, c.gender, c.ethnicity, c.ward
FROM cp_plans p LEFT JOIN children_x c USING (child_id);

CREATE VIEW looked_after_x AS
SELECT l.*, age_band(c.birth_month, l.start_date) AS age_band, c.gender, c.ethnicity, c.ward
FROM looked_after_episodes l LEFT JOIN children_x c USING (child_id);

CREATE VIEW missing_x AS
SELECT m.*, CAST(m.start_datetime AS DATE) AS start_day,
       m.rhi_offered_datetime IS NOT NULL AND m.rhi_offered_datetime <= m.return_datetime + INTERVAL 72 HOUR AS rhi_within_72h,
       age_band(c.birth_month, CAST(m.start_datetime AS DATE)) AS age_band, c.gender, c.ethnicity, c.ward
FROM missing_episodes m LEFT JOIN children_x c USING (child_id);

-- One row per child and quarter with episodes: did a completed RHI come before fewer episodes next quarter?
CREATE VIEW missing_child_quarters AS
WITH q AS (
    SELECT child_id, CAST(date_trunc('quarter', start_datetime) AS DATE) AS quarter_start,
           count(*) AS episodes, bool_or(rhi_completed) AS rhi_completed
    FROM missing_episodes GROUP BY ALL)
SELECT a.*, coalesce(b.episodes, 0) AS next_quarter_episodes, coalesce(b.episodes, 0) < a.episodes AS reduced
FROM q a LEFT JOIN q b ON b.child_id = a.child_id AND b.quarter_start = CAST(a.quarter_start + INTERVAL 3 MONTH AS DATE);
