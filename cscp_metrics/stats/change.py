"""Has a value changed since the last period beyond chance? Two-sided p-values, one function per kind."""

from __future__ import annotations

import math

from scipy.special import ndtr


def proportion_change_p(x_now: float, n_now: float, x_before: float, n_before: float) -> float:
    """Pooled two-proportion z-test."""
    if min(n_now, n_before) <= 0:
        raise ValueError("a change in a proportion needs both denominators greater than zero")
    pooled = (x_now + x_before) / (n_now + n_before)
    if pooled in (0.0, 1.0):
        return 1.0
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_now + 1 / n_before))
    z = (x_now / n_now - x_before / n_before) / se
    return float(2 * ndtr(-abs(z)))  # norm.sf(|z|), without importing scipy.stats (see intervals)


def count_change_p(x_now: float, x_before: float, exposure_now: float = 1.0, exposure_before: float = 1.0) -> float:
    """Exact conditional test for two Poisson counts: x_now of x_now + x_before against the share of
    exposure (population) that falls in the later period. Equal exposures test two plain counts."""
    total = int(round(x_now + x_before))
    if total == 0:
        return 1.0
    share = exposure_now / (exposure_now + exposure_before)
    from scipy.stats import binomtest  # here, not at the top: only this test needs scipy.stats (see intervals)

    return float(binomtest(int(round(x_now)), total, share).pvalue)
