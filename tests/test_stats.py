"""Statistics against values computed independently (scipy, published tables, hand calculation)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest, chi2

from cscp_metrics.stats.funnel import bands, funnel_limits, pooled
from cscp_metrics.stats.intervals import poisson_count, rate, wilson, z_value
from cscp_metrics.stats.significance import compare
from cscp_metrics.stats.spc import variation_icon, xmr


def test_z_values():
    assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert z_value(0.998) == pytest.approx(3.090232, abs=1e-6)


@pytest.mark.parametrize("x,n", [(119, 1475), (0, 10), (10, 10), (3, 7), (1, 1000)])
def test_wilson_matches_scipy(x, n):
    ci = binomtest(x, n).proportion_ci(confidence_level=0.95, method="wilson")
    lo, hi = wilson(x, n)
    assert float(lo) == pytest.approx(ci.low * 100, abs=1e-9)
    assert float(hi) == pytest.approx(ci.high * 100, abs=1e-9)


def test_wilson_refuses_impossible_proportions():
    with pytest.raises(ValueError, match="numerator"):
        wilson(5, 4)
    assert math.isnan(float(wilson(0, 0)[0]))


def test_byar_for_ten_or_more_by_hand():
    x, z = 253, 1.959963984540054
    lo = x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3
    hi = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * math.sqrt(x + 1))) ** 3
    got = rate(253, 49275)
    assert float(got[0]) == pytest.approx(lo / 49275 * 10000, rel=1e-12)
    assert float(got[1]) == pytest.approx(hi / 49275 * 10000, rel=1e-12)


@pytest.mark.parametrize(
    "x,low,high", [(0, 0.0, 3.6889), (1, 0.0253, 5.5716), (5, 1.6235, 11.6683), (9, 4.1154, 17.0848)]
)
def test_exact_poisson_below_ten_matches_published_table(x, low, high):
    lo, hi = poisson_count(x)
    assert float(lo) == pytest.approx(low, abs=1e-4)
    assert float(hi) == pytest.approx(high, abs=1e-4)


def test_rate_needs_a_population():
    with pytest.raises(ValueError, match="population"):
        rate(5, 0)


@pytest.mark.parametrize(
    "lower,upper,bench,polarity,expected",
    [
        (6.8, 9.6, 22.6, "low_is_good", "better"),
        (6.8, 9.6, 22.6, "high_is_good", "worse"),
        (6.8, 9.6, 9.6, "low_is_good", "similar"),  # inclusive at the limit
        (45.2, 58.1, 43.7, "neutral", "higher"),
        (45.2, 58.1, None, "neutral", "not compared"),
    ],
)
def test_significance_rule(lower, upper, bench, polarity, expected):
    assert compare(lower, upper, bench, polarity) == expected


Z = {"95": 1.959964, "998": 3.090232}  # DATA-AND-METHODS.md section 3


@pytest.mark.parametrize(
    "statistic,target,multiplier", [("proportion", 22.6, 100), ("proportion", 2.1, 100), ("rate", 43.7, 10_000)]
)
def test_funnel_limits_are_the_specs_intervals_around_the_centre_at_each_size(statistic, target, multiplier):
    """At size n: the Wilson score interval for p0 x n of n (proportions) or the exact Poisson interval for the
    expected count p0 x n (rates, scipy's chi-squared), over n, by the formulas of the spec."""
    p0 = target / multiplier
    sizes = np.array([21, 56, 150, 1_000, 5_000]) * (1 if statistic == "proportion" else 100)
    limits = funnel_limits(target, sizes, statistic, multiplier)
    assert (limits["centre"] == target).all()
    for (_, lim), n in zip(limits.iterrows(), sizes):
        x = p0 * n
        for tag, confidence in (("95", 0.95), ("998", 0.998)):
            if statistic == "proportion":
                z = Z[tag]
                root = z * math.sqrt(z**2 + 4 * x * (1 - x / n))
                low, high = (2 * x + z**2 - root) / (2 * (n + z**2)), (2 * x + z**2 + root) / (2 * (n + z**2))
            else:
                alpha = 1 - confidence
                low, high = chi2.ppf(alpha / 2, 2 * x) / 2 / n, chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2 / n
            assert lim[f"lower_{tag}"] == pytest.approx(low * multiplier, rel=1e-6)
            assert lim[f"upper_{tag}"] == pytest.approx(high * multiplier, rel=1e-6)
    with pytest.raises(ValueError, match="proportions and rates"):
        funnel_limits(2.1, np.array([21]), "count", 1)


def test_a_band_is_where_the_value_lies_against_the_limits_at_its_own_size():
    limits = pd.DataFrame(
        {"lower_998": [1.0] * 6, "lower_95": [2.0] * 6, "upper_95": [8.0] * 6, "upper_998": [9.0] * 6}
    )
    values = pd.Series([9.5, 8.5, 8.0, 5.0, 1.5, 0.0])
    assert bands(values, limits) == [
        "above 99.8%",
        "above 95%",
        "within 95%",  # on a limit is within it
        "within 95%",
        "below 95%",
        "below 99.8%",
    ]
    assert pooled(1_100.0, 51_510.0, 100) == pytest.approx(2.1355, abs=1e-4)
    with pytest.raises(ValueError, match="denominator above zero"):
        pooled(0.0, 0.0, 100)


def test_spc_flags_a_known_special_cause_and_not_a_stable_series():
    rng = np.random.default_rng(3)
    stable = 100 + rng.normal(0, 3, 24)
    chart = xmr(stable)
    mr = np.abs(np.diff(stable)).mean()
    assert chart["ucl"].iloc[0] == pytest.approx(stable.mean() + 2.66 * mr)
    assert not chart["outside"].any()
    assert variation_icon(chart, "low_is_good") == "common cause"
    spiked = stable.copy()
    spiked[-1] = 160
    assert variation_icon(xmr(spiked), "low_is_good") == "concern (high)"
    shifted = np.r_[np.full(12, 100.0) + rng.normal(0, 1, 12), np.full(8, 104.0) + rng.normal(0, 0.5, 8)]
    assert xmr(shifted)["shift"].iloc[-7:].all()


def test_spc_run_broken_by_a_point_on_the_mean_and_trend_rule():
    broken = np.array([1] * 6 + [5] + [9] * 6, dtype=float)  # mean 5: the 7th point sits on it
    assert not xmr(broken)["shift"].any()
    unbroken = np.array([1] * 7 + [9] * 7, dtype=float)  # mean 5: two runs of seven
    assert xmr(unbroken)["shift"].all()
    rising = np.array([1, 2, 3, 4, 5, 6, 7, 3, 3, 3, 3, 3], dtype=float)
    assert (xmr(rising)["trend"].iloc[:7] == 1).all()


def test_too_few_points_is_said_not_flagged():
    chart = xmr([1, 2, 30, 4])
    assert variation_icon(chart, "high_is_good") == "too few points"


def test_an_spc_rule_reads_in_the_charts_own_unit():
    import pandas as pd

    from cscp_metrics.stats.spc import rule_words

    def flagged(**rule) -> pd.Series:
        return pd.Series({"outside": False, "shift": False, "trend": 0, "two_of_three": False, **rule})

    assert rule_words(flagged(two_of_three=True), "month") == (
        "one of 2 months in 3 in a row close to a control limit (beyond two-thirds of the way to it)"
    )
    assert rule_words(flagged(shift=True), "year") == "in a run of 7 or more years on one side of the average"
    assert rule_words(flagged(trend=-1), "month") == "in a trend of 7 or more months rising or falling"
    assert rule_words(flagged(outside=True, shift=True), "month") == "outside the control limits"  # the first rule


def test_a_funnel_centre_at_0_or_100_percent_has_no_limits_rather_than_an_error():
    from cscp_metrics.stats.funnel import centre_in_range

    assert [centre_in_range(c, "proportion", 100.0) for c in (0.0, 0.5, 99.5, 100.0)] == [False, True, True, False]
    assert [centre_in_range(c, "rate", 10_000.0) for c in (0.0, 545.3)] == [False, True]
