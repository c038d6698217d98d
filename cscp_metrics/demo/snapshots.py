"""Spells (plans, periods of care) repaired so that the count open on 31 March hits a target."""

from __future__ import annotations

import numpy as np

from cscp_metrics.demo.calendar import year_end


def open_at(starts: np.ndarray, ends: np.ndarray, day: np.datetime64) -> np.ndarray:
    return (starts <= day) & ((ends > day) | np.isnat(ends))


def random_spells(
    rng: np.random.Generator,
    starts: np.ndarray,
    long_share: float,
    long_days: tuple[int, int],
    typical_days: float,
    last_day: str = "2021-03-31",
) -> np.ndarray:
    """End dates: a share of long spells, the rest gamma-distributed; open (NaT) past the last day."""
    long_spell = rng.random(len(starts)) < long_share
    durations = np.where(
        long_spell,
        rng.integers(*long_days, len(starts)),
        rng.gamma(2.2, typical_days / 2.2, len(starts)).astype(int) + 14,
    )
    ends = starts + durations.astype("timedelta64[D]")
    ends[ends > np.datetime64(last_day)] = np.datetime64("NaT")
    return ends


def repair_open(rng: np.random.Generator, starts: np.ndarray, ends: np.ndarray, fy: int, target: int) -> None:
    """Make exactly `target` spells open at the end of financial year fy, changing only spells that
    started in that year, so snapshots repaired earlier stay as they are."""
    day = np.datetime64(year_end(fy))
    in_year = (starts > np.datetime64(year_end(fy - 1))) & (starts <= day)
    gap = int(open_at(starts, ends, day).sum()) - target
    if gap > 0:
        for i in rng.choice(np.flatnonzero(in_year & open_at(starts, ends, day)), gap, replace=False):
            ends[i] = starts[i] + np.timedelta64(int(rng.integers(1, max(2, (day - starts[i]).astype(int)))), "D")
    elif gap < 0:
        for i in rng.choice(np.flatnonzero(in_year & ~open_at(starts, ends, day)), -gap, replace=False):
            ends[i] = day + np.timedelta64(int(rng.integers(20, 200)), "D")
