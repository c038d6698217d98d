"""A partner measure's values, counted by hand: a newer return replaces the older, a return must lie inside the
period, and a period without a total row sums its breakdown."""

from __future__ import annotations

import contextlib
import math

import pytest
from fixture_store import build

from cscp_metrics import read_memo
from cscp_metrics.indicators.engine import compute
from cscp_metrics.store import connection as store

RETURNS = """
INSERT INTO loads VALUES (3, 'partner_returns', 'police_q1.csv', '-', 1, now(), now(), 'loaded', NULL, 'fixture', NULL),
    (4, 'partner_returns', 'police_q1_resent.csv', '-', 4, now(), now(), 'loaded', NULL, 'fixture', NULL);
INSERT INTO partner_returns VALUES
    ('police', 'concordat_breaches', DATE '2019-04-01', DATE '2019-06-30', NULL, NULL, 4, 3, NULL),
    ('police', 'concordat_breaches', DATE '2019-04-01', DATE '2019-06-30', NULL, NULL, 6, 4, NULL),
    ('police', 'concordat_breaches', DATE '2019-07-01', DATE '2019-09-30', 'age_band', '10-13', 2, 4, NULL),
    ('police', 'concordat_breaches', DATE '2019-07-01', DATE '2019-09-30', 'age_band', '14-17', 3, 4, NULL),
    ('police', 'concordat_breaches', DATE '2019-03-01', DATE '2019-05-31', NULL, NULL, 100, 4, NULL);
"""


@pytest.fixture
def con(tmp_path):
    path = build(tmp_path / "fixture.duckdb")
    with store.connect(path) as writer:
        writer.execute(RETURNS)
    reader = store.connect(path, read_only=True)
    yield reader
    reader.close()


@pytest.mark.parametrize("memo", [False, True])
def test_partner_values_counted_by_hand(con, memo):
    with read_memo.scope() if memo else contextlib.nullcontext():

        def value(period: str) -> float:
            return compute(con, "concordat_breaches", period)["value"].iloc[0]

        assert value("2019-20-Q1") == 6  # the resent return replaces the first; March-May lies outside Q1
        assert value("2019-20-Q2") == 5  # no total row: its breakdown summed
        assert value("2019-20") == 6  # the year holds a total row (Q1's): Q2's breakdown is not added to it
        assert math.isnan(value("2019-20-Q3"))  # no return
        by_age = compute(con, "concordat_breaches", "2019-20", breakdown="age_band")
        assert dict(zip(by_age["breakdown_value"], by_age["value"])) == {"10-13": 2, "14-17": 3}
