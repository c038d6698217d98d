"""The engine, intervals, significance and disclosure on the tiny SQL fixture store, every figure counted by hand
here (tests/fixture_store.py says what the store holds)."""

from __future__ import annotations

import math

import duckdb
import fixture_store
import pandas as pd
import pytest
from scipy.stats import norm

from cscp_metrics.indicators import summary
from cscp_metrics.indicators.engine import compute


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = fixture_store.build(tmp_path_factory.mktemp("fixture") / "fixture.duckdb")
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()


def _wilson(x: int, n: int, z: float) -> tuple[float, float]:
    p = x / n
    centre, half = p + z * z / (2 * n), z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return 100 * (centre - half) / (1 + z * z / n), 100 * (centre + half) / (1 + z * z / n)


def _byar(x: int, z: float) -> tuple[float, float]:
    lower = x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3
    upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * math.sqrt(x + 1))) ** 3
    return lower, upper


def test_counts_by_year_quarter_and_breakdown(con):
    assert compute(con, "referrals", "2019-20")["numerator"].iloc[0] == 42
    assert compute(con, "referrals", "2018-19")["numerator"].iloc[0] == 2
    assert compute(con, "referrals", "2019-20-Q1")["numerator"].iloc[0] == 12  # 10 in April, 2 in May
    assert compute(con, "referrals", "2019-20-Q2")["numerator"].iloc[0] == 20  # 1 July
    by_rag = compute(con, "referrals", "2019-20", breakdown="rag").set_index("breakdown_value")["numerator"]
    assert by_rag.to_dict() == {"amber": 20, "green": 20, "red": 2}


def test_a_count_has_byars_interval(con):
    row = compute(con, "referrals", "2019-20").iloc[0]
    assert (row["lower_ci"], row["upper_ci"]) == pytest.approx(_byar(42, norm.ppf(0.975)))


def test_re_referrals_count_only_a_referral_within_twelve_months(con):
    row = compute(con, "re_referral_rate", "2019-20").iloc[0]
    assert (row["numerator"], row["denominator"]) == (10, 42)  # C31-C32's second referral is 13 months on
    assert row["value"] == pytest.approx(100 * 10 / 42)
    assert (row["lower_ci"], row["upper_ci"]) == pytest.approx(_wilson(10, 42, norm.ppf(0.975)))


def test_the_tile_compares_with_englands_published_counts(con):
    tile = summary.tile(con, "re_referral_rate", "2019-20", "england", True)
    assert tile.comparator_value == pytest.approx(22.6)
    lower, upper = _wilson(10, 42, norm.ppf(0.975))
    assert lower < 22.6 < upper and tile.significance == "similar"
    assert "23.8% (10 of 42)" in tile.sentence and "England (22.6%)" in tile.sentence


def test_the_public_breakdown_hides_a_count_of_2_and_one_more_so_it_cannot_be_subtracted(con):
    public = summary.breakdown(con, "referrals", "2019-20", "rag", {}, True).set_index("breakdown_value")
    assert public.loc["red", "suppressed"] and pd.isna(public.loc["red", "numerator"])
    assert public["suppressed"].sum() >= 2  # 42 - 20 - 20 would give the red 2 back
    partnership = summary.breakdown(con, "referrals", "2019-20", "rag", {}, False).set_index("breakdown_value")
    assert partnership.loc["red", "numerator"] == 2
