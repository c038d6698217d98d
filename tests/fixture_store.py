"""A tiny store built from SQL in well under 2 s (datasette's fixtures): for unit tests whose every figure can be
counted by hand. The demo store (conftest.demo_db) is for the browser, page and published-figure tests.

Camden's code, 2019-20. 42 referrals in 2019-20: C01-C10 referred in April 2019 and again in October 2019 (10
re-referrals), C11-C30 once in July 2019, C31-C32 in April 2018 and again in May 2019, more than twelve months later
(not re-referrals). By RAG: 20 amber, 20 green, 2 red. England's 2019-20 re-referrals: DfE's 145,390 of 642,980."""

from __future__ import annotations

from pathlib import Path

from cscp_metrics.store import connection as store

FIXTURE_SQL = """
INSERT INTO settings VALUES ('area_code', 'E09000007'), ('area_name', 'Camden'), ('region_code', 'E12000007'),
    ('inner_outer_code', 'E13000001'), ('sn_model', '2021'), ('default_year', '2019-20');
INSERT INTO areas VALUES ('E92000001', NULL, 'England', 'national', NULL, NULL),
    ('E12000007', NULL, 'London', 'regional', NULL, NULL),
    ('E09000007', '202', 'Camden', 'la', 'E12000007', 'E13000001');
INSERT INTO loads VALUES (1, 'children', 'fixture.sql', '-', 32, now(), now(), 'loaded', NULL, 'fixture', NULL),
    (2, 'referrals', 'fixture.sql', '-', 44, now(), now(), 'loaded', NULL, 'fixture', NULL);
INSERT INTO children SELECT printf('C%02d', i), DATE '2010-01-01', CASE WHEN i % 2 = 0 THEN 'f' ELSE 'm' END,
    'white_british', false, CASE WHEN i <= 20 THEN 'Kilburn' ELSE 'Holborn' END, 1, NULL FROM range(1, 33) t(i);
INSERT INTO referrals
    SELECT printf('A%02d', i), printf('C%02d', i), DATE '2019-04-15', 'police', 'amber', 'cin', 2, NULL
    FROM range(1, 11) t(i)
    UNION ALL SELECT printf('B%02d', i), printf('C%02d', i), DATE '2019-10-15', 'school', 'amber', 'cin', 2, NULL
    FROM range(1, 11) t(i)
    UNION ALL SELECT printf('S%02d', i), printf('C%02d', i), DATE '2019-07-01', 'health', 'green', 'nfa', 2, NULL
    FROM range(11, 31) t(i)
    UNION ALL SELECT printf('P%02d', i), printf('C%02d', i), DATE '2018-04-20', 'police', 'red', 'cin', 2, NULL
    FROM range(31, 33) t(i)
    UNION ALL SELECT printf('Q%02d', i), printf('C%02d', i), DATE '2019-05-10', 'police', 'red', 'cin', 2, NULL
    FROM range(31, 33) t(i);
INSERT INTO benchmarks VALUES
    ('re_referral_rate', '2019-20', 'E92000001', 145390, 642980, 22.6, NULL, 'DfE CIN census 2020', NULL, 22.6);
"""


def build(path: Path) -> Path:
    con = store.connect(path)
    try:
        con.execute(FIXTURE_SQL)
    finally:
        con.close()
    return path
