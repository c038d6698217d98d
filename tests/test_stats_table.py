"""The statistics table: one shape for counts, proportions and rates, checked against intervals computed here
from scipy's distributions and the published formulae (Wilson 1927; Byar via Breslow and Day; exact Poisson)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import chi2, norm

from cscp_metrics.stats.table import COLUMNS, STATISTICS, one

Z95 = norm.ppf(0.975)


def _wilson(x: float, n: float, z: float) -> tuple[float, float]:
    p = x / n
    centre, half = p + z * z / (2 * n), z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - half) / (1 + z * z / n), (centre + half) / (1 + z * z / n)


def test_every_statistic_gives_the_same_columns():
    for name, statistic in STATISTICS.items():
        frame = statistic(np.array([3.0, 40.0]), np.array([50.0, 60.0]))
        assert list(frame.columns) == COLUMNS, name
        assert len(frame) == 2 and frame["method"].nunique() == 1


def test_proportion_is_wilsons_interval():
    frame = STATISTICS["proportion"](np.array([119, 0, 7]), np.array([1475, 12, 7]))
    for (x, n), (_, row) in zip([(119, 1475), (0, 12), (7, 7)], frame.iterrows()):
        lower, upper = _wilson(x, n, Z95)
        assert row["value"] == pytest.approx(100 * x / n)
        assert (row["lower"], row["upper"]) == pytest.approx((100 * lower, 100 * upper))


def test_count_is_exact_poisson_below_10_and_byars_from_10():
    frame = STATISTICS["count"](np.array([4, 42]))
    assert (frame["lower"][0], frame["upper"][0]) == pytest.approx((chi2.ppf(0.025, 8) / 2, chi2.ppf(0.975, 10) / 2))
    byar_lower = 42 * (1 - 1 / (9 * 42) - Z95 / (3 * math.sqrt(42))) ** 3
    byar_upper = 43 * (1 - 1 / (9 * 43) + Z95 / (3 * math.sqrt(43))) ** 3
    assert (frame["lower"][1], frame["upper"][1]) == pytest.approx((byar_lower, byar_upper))


def test_rate_is_the_counts_interval_over_the_population():
    row = one("rate", 253, 38_566)
    assert row["value"] == pytest.approx(253 / 38_566 * 10_000)
    byar_lower = 253 * (1 - 1 / (9 * 253) - Z95 / (3 * math.sqrt(253))) ** 3
    assert row["lower"] == pytest.approx(byar_lower / 38_566 * 10_000)
    wide = one("rate", 253, 38_566, confidence=0.998)
    assert wide["lower"] < row["lower"] and wide["method"].startswith("Byar's 99.8%")


def test_a_row_without_a_base_is_empty_and_its_neighbours_are_not():
    frame = STATISTICS["proportion"](np.array([3, 5, 2]), np.array([0, 4, 10]))
    assert frame["value"].isna().tolist() == [True, True, False]
    assert frame.loc[2, "value"] == pytest.approx(20.0)


@pytest.mark.parametrize(
    ("statistic", "x", "n", "words"),
    [
        ("proportion", 5, 4, "numerator <= denominator"),
        ("proportion", 1, 0, "denominator above 0"),
        ("rate", 3, 0, "population greater than zero"),
        ("count", -1, np.nan, "cannot be negative"),
        ("median", 1, 2, "the statistics are count, proportion, rate"),
    ],
)
def test_a_wrong_count_is_refused_in_words(statistic, x, n, words):
    with pytest.raises(ValueError, match=words):
        one(statistic, x, n)
