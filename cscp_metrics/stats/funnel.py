"""Funnel plots (DATA-AND-METHODS.md section 3): limits at 95% and 99.8% around the pooled value of all LAs
(every LA's count over every LA's denominator: England's, as DfE prints them), from the Wilson interval
(proportions) or the exact Poisson interval (rates) at each denominator size; an LA's band is where its value lies
against the limits at its own size.

A scrutineer can recompute every line by hand: at size n the 99.8% upper limit of a proportion is the Wilson
upper bound (z = 3.090232) for p0 x n of n, and of a rate per 10,000 the exact Poisson upper bound for the
expected count p0 x n, divided by n, times 10,000."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cscp_metrics.stats.intervals import exact_poisson, wilson

BANDS = ("above 99.8%", "above 95%", "within 95%", "below 95%", "below 99.8%")
LEVELS = (("95", 0.95), ("998", 0.998))  # two-sided confidence of each pair of limits


def pooled(count: float, denominator: float, multiplier: float) -> float:
    """The funnel's centre: every LA's count over every LA's denominator (England's), in display units (e.g. 22.6
    for 22.6%)."""
    if not denominator > 0:
        raise ValueError("a funnel needs LAs with a denominator above zero")
    return float(count) / float(denominator) * multiplier


def centre_in_range(target: float, statistic: str, multiplier: float) -> bool:
    """Limits can be drawn around it: a proportion strictly between 0 and 1, a rate above 0."""
    return 0 < target / multiplier < (1 if statistic == "proportion" else np.inf)


def funnel_limits(target: float, sizes: np.ndarray, statistic: str, multiplier: float) -> pd.DataFrame:
    """The limits at each denominator size around `target` (in display units)."""
    if statistic not in ("proportion", "rate"):
        raise ValueError(f"funnel limits are for proportions and rates, not {statistic}")
    if not centre_in_range(target, statistic, multiplier):
        raise ValueError(f"funnel limits need a target strictly inside its range, not {target}")
    sizes = np.asarray(sizes, dtype=float)
    expected = target / multiplier * sizes  # the count an LA of this size would have at the centre
    out = pd.DataFrame({"n": sizes, "centre": target})
    for tag, confidence in LEVELS:
        if statistic == "proportion":
            lower, upper = wilson(expected, sizes, confidence, multiplier)
        else:
            low_count, high_count = exact_poisson(expected, confidence)
            lower, upper = low_count / sizes * multiplier, high_count / sizes * multiplier
        out[f"lower_{tag}"], out[f"upper_{tag}"] = lower, upper
    return out


def bands(values: pd.Series, limits: pd.DataFrame) -> list[str]:
    """Each value's band against the limits at its own size (`limits` row for row); a value on a limit is
    within it."""
    v = np.asarray(values, dtype=float)
    beyond = [
        v > limits["upper_998"].to_numpy(),
        v < limits["lower_998"].to_numpy(),
        v > limits["upper_95"].to_numpy(),
        v < limits["lower_95"].to_numpy(),
    ]  # in the order of BANDS without "within 95%": the first that holds
    return np.select(beyond, ["above 99.8%", "below 99.8%", "above 95%", "below 95%"], "within 95%").tolist()
