"""Looked-after placement episodes and care leavers, repaired to the published 31 March figures."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from cscp_metrics.demo.calendar import FY_STARTS, sample_dates, year_end
from cscp_metrics.demo.children import ChildRegister
from cscp_metrics.demo.snapshots import open_at, random_spells, repair_open

CARE_STARTS = {2012: 120, 2013: 115, 2014: 110, 2015: 105, 2016: 112, 2017: 108, 2018: 104, 2019: 98, 2020: 92}
LAC_AT_31_MARCH = {2018: 191, 2019: 190}  # by financial year
LAC_2019_THREE_PLUS = 19  # 10% of 190 had 3+ placements during 2019-20
LAC_2019_DISTANCE = {"unknown": 5, "within_20": 160, "beyond_20": 25}  # 160 of 185 known = 86.5%
PLACEMENTS = ("foster_in_house", "foster_agency", "kinship", "residential", "semi_independent", "adoption")
CARE_LEAVERS = {2018: {"n": 192, "eet": 120, "suitable": 165}, 2019: {"n": 200, "eet": 136, "suitable": 174}}


def _care_periods(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    days: list[date] = []
    for fy in sorted(CARE_STARTS):
        days += sample_dates(rng, fy, CARE_STARTS[fy], school_driven=False)
    starts = np.array(days, dtype="datetime64[D]")
    ends = random_spells(rng, starts, 0.35, (730, 2600), 300)
    for fy, target in sorted(LAC_AT_31_MARCH.items()):
        repair_open(rng, starts, ends, fy, target)
    return starts, ends


def _splits(
    rng: np.random.Generator, start: np.datetime64, end: np.datetime64, in_window: int | None
) -> list[np.datetime64]:
    """Placement change dates inside a period of care; `in_window` fixes how many fall in 2019-20."""
    last = end if not np.isnat(end) else np.datetime64("2021-03-31")
    span = int((last - start).astype(int))
    n = rng.poisson(max(span, 1) / 365 * 0.7)
    cuts = sorted({start + np.timedelta64(int(d), "D") for d in rng.integers(1, max(span, 2), n)})
    if in_window is None:
        return cuts
    lo, hi = max(start, np.datetime64("2019-04-01")), np.datetime64("2020-03-31")
    outside = [c for c in cuts if not lo <= c <= hi]
    width = int((hi - lo).astype(int))
    inside = sorted(
        {lo + np.timedelta64(int(d), "D") for d in rng.choice(np.arange(1, width + 1), in_window, replace=False)}
    )
    return sorted(outside + inside)


def looked_after_episodes(rng: np.random.Generator, register: ChildRegister) -> pd.DataFrame:
    starts, ends = _care_periods(rng)
    open_2020 = np.flatnonzero(open_at(starts, ends, np.datetime64("2020-03-31")))
    three_plus = set(rng.choice(open_2020, LAC_2019_THREE_PLUS, replace=False).tolist())
    distance_plan = [k for k, n in LAC_2019_DISTANCE.items() for _ in range(n)]
    rng.shuffle(distance_plan)
    distance_of = dict(zip(open_2020.tolist(), distance_plan))
    rows = []
    for i, (start, end) in enumerate(zip(starts, ends)):
        child = register.new(pd.Timestamp(start).date())
        fixed = None
        if i in distance_of:
            fixed = int(rng.integers(2, 4)) if i in three_plus else int(rng.integers(0, 2))
        bounds = [start] + _splits(rng, start, end, fixed) + [end]
        for k in range(len(bounds) - 1):
            ep_end = bounds[k + 1]
            current = (
                i in distance_of
                and bounds[k] <= np.datetime64("2020-03-31")
                and (np.isnat(ep_end) or ep_end > np.datetime64("2020-03-31"))
            )
            distance = _distance(rng, distance_of[i] if current else None)
            rows.append((f"L{i:04d}-{k}", child, bounds[k], ep_end, str(rng.choice(PLACEMENTS)), distance))
    frame = pd.DataFrame(
        rows, columns=["episode_id", "child_id", "start_date", "end_date", "placement_type", "distance_miles"]
    )
    frame["end_date"] = frame["end_date"].astype("datetime64[s]")
    return frame


def _distance(rng: np.random.Generator, plan: str | None) -> float | None:
    if plan == "unknown":
        return None
    if plan == "beyond_20" or (plan is None and rng.random() < 0.14):
        return round(float(rng.uniform(20.5, 140)), 1)
    return round(float(rng.uniform(0.3, 19.9)), 1)


def care_leavers(rng: np.random.Generator, register: ChildRegister) -> pd.DataFrame:
    rows = []
    for fy in FY_STARTS:
        facts = CARE_LEAVERS.get(fy) or {"n": int(rng.integers(185, 215))}
        n = facts["n"]
        eet = facts.get("eet", int(n * rng.uniform(0.58, 0.7)))
        suitable = facts.get("suitable", int(n * rng.uniform(0.83, 0.9)))
        eet_set = set(rng.choice(n, eet, replace=False).tolist())
        ok_set = set(rng.choice(n, suitable, replace=False).tolist())
        for i in range(n):
            activity = "eet" if i in eet_set else ("neet" if rng.random() < 0.8 else "no_information")
            child = register.new(year_end(fy), age_range=(17, 21))
            rows.append((child, year_end(fy), int(rng.integers(17, 22)), activity, i in ok_set))
    return pd.DataFrame(rows, columns=["child_id", "year_ending", "age", "activity", "accommodation_suitable"])
