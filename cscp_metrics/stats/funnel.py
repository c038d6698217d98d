"""Funnel plots with exact control limits (Spiegelhalter 2005): binomial for proportions, Poisson for rates.

Each area's band comes from its exact one-sided tail probability against the target (England's published
value): P(X <= x) and P(X >= x) for X ~ Binomial(n, target) or Poisson(n × target). The limit lines are the
same tail probabilities extended continuously in x (regularised incomplete beta and gamma functions), so a dot
lies beyond a line exactly when its exact p-value is beyond that line's level, and a zero count is flagged low
only when a zero is itself improbable.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import bdtrik, betainc, gammainc, gammaincc, pdtrik

BANDS = ("above 99.8%", "above 95%", "within 95%", "below 95%", "below 99.8%")
LEVELS = (("95", 0.025), ("998", 0.001))  # one-sided tail probability of each pair of limits


def tail_p(x: np.ndarray, n: np.ndarray, target: float, statistic: str) -> tuple[np.ndarray, np.ndarray]:
    """Exact one-sided p-values (P(X <= x), P(X >= x)); target is a proportion (0-1) or a rate per person."""
    from scipy.stats import binom, poisson  # here: importing scipy.stats costs every process 1.1 s (see intervals)

    x, n = np.rint(np.asarray(x, dtype=float)), np.asarray(n, dtype=float)
    if statistic == "proportion":
        trials = np.rint(n)
        return binom.cdf(x, trials, target), binom.sf(x - 1, trials, target)
    if statistic == "rate":
        return poisson.cdf(x, n * target), poisson.sf(x - 1, n * target)
    raise ValueError(f"funnel limits are for proportions and rates, not {statistic}")


def band(p_low: float, p_high: float) -> str:
    """One of BANDS, from the two exact one-sided p-values."""
    if p_high < 0.001:
        return "above 99.8%"
    if p_low < 0.001:
        return "below 99.8%"
    if p_high < 0.025:
        return "above 95%"
    if p_low < 0.025:
        return "below 95%"
    return "within 95%"


def _upper_tail(x: float, n: float, target: float, statistic: str) -> float:
    """P(X >= x), continuous in x > 0."""
    return float(betainc(x, n - x + 1, target) if statistic == "proportion" else gammainc(x, n * target))


def _lower_tail(x: float, n: float, target: float, statistic: str) -> float:
    """P(X <= x), continuous in x >= 0."""
    return float(betainc(n - x, x + 1, 1 - target) if statistic == "proportion" else gammaincc(x + 1, n * target))


def _limit_counts(n: float, target: float, statistic: str, level: float) -> tuple[float, float]:
    """The counts at which the lower and upper exact tail probabilities equal `level`."""
    top = n if statistic == "proportion" else n * target + 40 * np.sqrt(n * target + 1) + 40
    if _lower_tail(0.0, n, target, statistic) >= level:
        low = 0.0
    else:
        low = brentq(lambda x: _lower_tail(x, n, target, statistic) - level, 0.0, n * target)
    if statistic == "proportion" and _upper_tail(n, n, target, statistic) >= level:
        high = n
    else:
        high = brentq(lambda x: _upper_tail(x, n, target, statistic) - level, 1e-9, top)
    return low, high


def funnel_limits(target: float, sizes: np.ndarray, statistic: str, multiplier: float) -> pd.DataFrame:
    """Exact limits at each denominator size around `target` (in display units, e.g. 22.6 for 22.6%)."""
    if statistic not in ("proportion", "rate"):
        raise ValueError(f"funnel limits are for proportions and rates, not {statistic}")
    if not 0 < target / multiplier < (1 if statistic == "proportion" else np.inf):
        raise ValueError(f"funnel limits need a target strictly inside its range, not {target}")
    p = target / multiplier
    sizes = np.asarray(sizes, dtype=float)
    out = pd.DataFrame({"n": sizes, "centre": target})
    for tag, level in LEVELS:
        counts = _all_limit_counts(sizes, p, statistic, level)
        out[f"lower_{tag}"] = counts[:, 0] / sizes * multiplier
        out[f"upper_{tag}"] = counts[:, 1] / sizes * multiplier
    return out


def _all_limit_counts(sizes: np.ndarray, target: float, statistic: str, level: float) -> np.ndarray:
    """_limit_counts at every size at once: the same continuous tails inverted by cdflib (bdtrik and pdtrik invert
    P(X <= k) in k, and P(X >= x) is 1 - P(X <= x - 1)). Where the upper line lies below one child, which an inverse
    in k >= 0 cannot give, or an inverse is not finite, the root is found as _limit_counts finds it."""
    if statistic == "proportion":
        low, high = bdtrik(level, sizes, target), bdtrik(1 - level, sizes, target) + 1
        zero_likely = betainc(sizes, 1.0, 1 - target) >= level  # _lower_tail at 0: P(X = 0)
        all_likely = betainc(sizes, 1.0, target) >= level  # _upper_tail at n: P(X = n)
        high = np.where(all_likely, sizes, high)
    else:
        low, high = pdtrik(level, sizes * target), pdtrik(1 - level, sizes * target) + 1
        zero_likely = gammaincc(1.0, sizes * target) >= level
        all_likely = np.zeros(len(sizes), dtype=bool)
    low = np.where(zero_likely, 0.0, low)
    counts = np.column_stack([low, high])
    for i in np.flatnonzero(~np.isfinite(counts).all(axis=1) | ((high <= 1) & ~all_likely)):
        counts[i] = _limit_counts(sizes[i], target, statistic, level)
    return counts
