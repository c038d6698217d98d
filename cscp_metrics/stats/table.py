"""One statistics table (PHEindicatormethods' shape): each statistic is a small pure function of its counts that
returns the same columns for every row, so the engine, the tiles, the signals and the funnel read one shape.

Columns: value, lower, upper (the confidence interval, on the value's scale) and method. A row whose counts
cannot give the statistic (no denominator, more counted than the base) has NaN figures, never an error, so a
breakdown with one empty row still gives the others; scalar callers check with `one()`, which says why."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

import numpy as np
import pandas as pd

from cscp_metrics.stats import intervals

COLUMNS = ["value", "lower", "upper", "method"]
Numbers: TypeAlias = "pd.Series | np.ndarray | float | int"


def count(x: Numbers, n: Numbers = np.nan, confidence: float = 0.95, multiplier: float = 1.0) -> pd.DataFrame:
    """A count of events or children: Byar's interval from 10, exact Poisson below (a missing count: 0's)."""
    del n, multiplier  # a count has no base
    xs = _array(x)
    lower, upper = intervals.poisson_count(np.nan_to_num(xs, nan=0.0), confidence)
    return _frame(xs, lower, upper, f"Poisson {_level(confidence)} (Byar's; exact below 10)")


def proportion(x: Numbers, n: Numbers, confidence: float = 0.95, multiplier: float = 100.0) -> pd.DataFrame:
    """x of n, times `multiplier` (100: a percentage), with Wilson's score interval."""
    xs, ns = _array(x), _array(n)
    ok = (ns > 0) & (xs <= ns) & (xs >= 0)
    lower, upper = intervals.wilson(np.where(ok, xs, 0), np.where(ok, ns, 1), confidence, multiplier)
    value = np.where(ok, xs / np.where(ok, ns, 1) * multiplier, np.nan)
    return _frame(value, np.where(ok, lower, np.nan), np.where(ok, upper, np.nan), f"Wilson score {_level(confidence)}")


def rate(x: Numbers, n: Numbers, confidence: float = 0.95, multiplier: float = 10_000.0) -> pd.DataFrame:
    """x per `multiplier` of a population n, with the count's Byar's / exact Poisson interval over n."""
    xs, ns = _array(x), _array(n)
    ok = ns > 0
    base = np.where(ok, ns, 1)
    lower, upper = intervals.rate(xs, base, confidence, multiplier)
    value = np.where(ok, xs / base * multiplier, np.nan)
    return _frame(
        value,
        np.where(ok, lower, np.nan),
        np.where(ok, upper, np.nan),
        f"Byar's {_level(confidence)} (exact Poisson below 10)",
    )


STATISTICS: dict[str, Callable[..., pd.DataFrame]] = {"count": count, "proportion": proportion, "rate": rate}


def one(
    statistic: str, x: float, n: float = np.nan, confidence: float = 0.95, multiplier: float | None = None
) -> pd.Series:
    """One row of STATISTICS[statistic] (at the statistic's own multiplier unless given), or a ValueError saying
    which count is wrong."""
    if statistic not in STATISTICS:
        raise ValueError(f"no interval for a {statistic}: the statistics are {', '.join(STATISTICS)}")
    if x < 0:
        raise ValueError(f"a count cannot be negative (got {x})")
    if statistic == "proportion" and not 0 < n >= x:
        raise ValueError(f"a proportion needs 0 <= numerator <= denominator and a denominator above 0 (got {x} of {n})")
    if statistic == "rate" and not n > 0:
        raise ValueError(f"a rate needs a population greater than zero (got {n})")
    scale = {} if multiplier is None else {"multiplier": multiplier}
    return STATISTICS[statistic](x, n, confidence, **scale).iloc[0]


def _array(values: Numbers) -> np.ndarray:
    return np.atleast_1d(np.asarray(values, dtype=float))


def _frame(value: np.ndarray, lower: np.ndarray, upper: np.ndarray, method: str) -> pd.DataFrame:
    return pd.DataFrame({"value": value, "lower": lower, "upper": upper, "method": method})


def _level(confidence: float) -> str:
    return f"{confidence * 100:g}%"
