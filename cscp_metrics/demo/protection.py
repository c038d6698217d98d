"""Assessments, section 47 enquiries and child protection plans, repaired to the published snapshots."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from cscp_metrics.demo.calendar import FY_STARTS, sample_dates, year_end
from cscp_metrics.demo.children import ChildRegister
from cscp_metrics.demo.snapshots import open_at, random_spells, repair_open

ASSESSMENTS = {2014: 1240, 2015: 1265, 2016: 1290, 2017: 1330, 2018: 1250, 2019: 1300, 2020: 1180}
ASSESSMENT_FACTS = {  # completed in the year: neglect identified, CSA identified, within 45 working days
    2018: {"neglect": 170, "child_sexual_abuse": 52, "in_45_days": 1090},
    2019: {"neglect": 169, "child_sexual_abuse": 34, "in_45_days": 1170},
}
OTHER_FACTORS = {
    "domestic_abuse": 0.3,
    "mental_health_parent": 0.25,
    "drug_misuse_parent": 0.1,
    "going_missing": 0.05,
    "cse": 0.03,
    "cce": 0.04,
    "gangs": 0.03,
}
CP_STARTS = {2013: 330, 2014: 340, 2015: 335, 2016: 350, 2017: 365, 2018: 330, 2019: 300, 2020: 280}
CP_OPEN_AT_31_MARCH = {2017: 305, 2018: 310, 2019: 253}  # by financial year; 2019-20: 51.3 per 10,000 of 49,275
CP_TWO_YEARS_AT_31_MARCH_2020 = 24  # 9.5% of 253
CP_SEXUAL_AT_31_MARCH_2020 = 5  # 1.0 per 10,000
CP_NEGLECT_STARTS = {2018: 108, 2019: 94}  # 22 and 19 per 10,000 of 49,275
CATEGORY_SHARES = {"neglect": 0.38, "emotional": 0.36, "physical": 0.1, "sexual": 0.04, "multiple": 0.12}


def _working_days(start: date, days: int) -> int:
    return int(np.busday_count(start, start + timedelta(days=days)))


def assessments(rng: np.random.Generator, register: ChildRegister) -> pd.DataFrame:
    rows = []
    for fy in FY_STARTS:
        n = ASSESSMENTS[fy]
        facts = ASSESSMENT_FACTS.get(
            fy,
            {
                "neglect": int(n * rng.uniform(0.11, 0.15)),
                "child_sexual_abuse": int(n * rng.uniform(0.025, 0.045)),
                "in_45_days": int(n * rng.uniform(0.8, 0.9)),
            },
        )
        completed = sample_dates(rng, fy, n)
        neglect = set(rng.choice(n, facts["neglect"], replace=False).tolist())
        csa = set(rng.choice(n, facts["child_sexual_abuse"], replace=False).tolist())
        on_time = set(rng.choice(n, facts["in_45_days"], replace=False).tolist())
        for i, done in enumerate(completed):
            calendar_days = int(rng.integers(20, 62)) if i in on_time else int(rng.integers(66, 120))
            start = done - timedelta(days=calendar_days)
            wd = _working_days(start, calendar_days)
            if (i in on_time) != (wd <= 45):
                wd = min(wd, 45) if i in on_time else max(wd, 46)
            factors = [f for f, p in OTHER_FACTORS.items() if rng.random() < p]
            factors += ["neglect"] * (i in neglect) + ["child_sexual_abuse"] * (i in csa)
            rows.append((f"A{fy}{i:05d}", register.new(start), start, done, wd, ";".join(factors) or None))
    return pd.DataFrame(
        rows, columns=["assessment_id", "child_id", "start_date", "completed_date", "working_days", "factors"]
    )


def section47(rng: np.random.Generator, register: ChildRegister) -> pd.DataFrame:
    rows = []
    for fy in FY_STARTS:
        for i, day in enumerate(sample_dates(rng, fy, int(rng.integers(520, 640)))):
            outcome = "icpc" if rng.random() < 0.45 else "no_further_action"
            rows.append((f"S{fy}{i:05d}", register.new(day), day, outcome))
    return pd.DataFrame(rows, columns=["enquiry_id", "child_id", "start_date", "outcome"])


def cp_plans(rng: np.random.Generator, register: ChildRegister) -> pd.DataFrame:
    start_list = []
    for fy in sorted(CP_STARTS):
        start_list += sample_dates(rng, fy, CP_STARTS[fy], school_driven=False)
    starts = np.array(start_list, dtype="datetime64[D]")
    ends = random_spells(rng, starts, 0.09, (730, 1100), 280)
    for fy, target in sorted(CP_OPEN_AT_31_MARCH.items()):
        if fy == 2019:
            _repair_two_years(rng, starts, ends)
        repair_open(rng, starts, ends, fy, target)
    categories = _categories(rng, starts, ends)
    frame = pd.DataFrame({"start_date": starts, "end_date": ends, "category": categories})
    frame = frame.sort_values("start_date", kind="stable").reset_index(drop=True)
    frame["child_id"] = _plan_children(rng, frame, register)
    frame["plan_id"] = [f"P{i:05d}" for i in range(len(frame))]
    return frame[["plan_id", "child_id", "start_date", "end_date", "category"]]


def _repair_two_years(rng: np.random.Generator, starts: np.ndarray, ends: np.ndarray) -> None:
    """Exactly 24 plans open at 31 March 2020 had started on or before 31 March 2018 (2 years or more)."""
    day, cut, prev = np.datetime64("2020-03-31"), np.datetime64("2018-03-31"), np.datetime64("2019-03-31")
    old_open = np.flatnonzero((starts <= cut) & open_at(starts, ends, day))
    gap = len(old_open) - CP_TWO_YEARS_AT_31_MARCH_2020
    if gap > 0:
        for i in rng.choice(old_open, gap, replace=False):
            ends[i] = prev + np.timedelta64(int(rng.integers(1, 360)), "D")
    elif gap < 0:
        ended_late = np.flatnonzero((starts <= cut) & (ends > prev) & (ends <= day))
        for i in rng.choice(ended_late, -gap, replace=False):
            ends[i] = day + np.timedelta64(int(rng.integers(20, 200)), "D")


def _categories(rng: np.random.Generator, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    keys = [k for k in CATEGORY_SHARES if k != "sexual"]
    p = np.array([CATEGORY_SHARES[k] for k in keys])
    p = p / p.sum()
    cats = rng.choice(keys, size=len(starts), p=p).astype(object)
    open_2020 = np.flatnonzero(open_at(starts, ends, np.datetime64("2020-03-31")))
    sexual = rng.choice(open_2020, CP_SEXUAL_AT_31_MARCH_2020, replace=False)
    others = rng.choice(np.setdiff1d(np.arange(len(starts)), open_2020), int(len(starts) * 0.03), replace=False)
    cats[np.concatenate([sexual, others])] = "sexual"
    for fy, wanted in CP_NEGLECT_STARTS.items():
        in_year = np.flatnonzero(
            (starts > np.datetime64(year_end(fy - 1))) & (starts <= np.datetime64(year_end(fy))) & (cats != "sexual")
        )
        cats[in_year] = rng.choice(["emotional", "physical", "multiple"], len(in_year), p=[0.62, 0.17, 0.21])
        cats[rng.choice(in_year, wanted, replace=False)] = "neglect"
    return cats


def _plan_children(rng: np.random.Generator, frame: pd.DataFrame, register: ChildRegister) -> list[str]:
    """About one plan in five is a second or subsequent plan for a child whose earlier plan has ended."""
    ended: list[tuple[str, object]] = []
    children = []
    for start, end in zip(frame["start_date"], frame["end_date"]):
        previous = [c for c, e in ended if e < start] if rng.random() < 0.2 else []
        child = previous[int(rng.integers(0, len(previous)))] if previous else register.new(start.date())
        if previous:
            ended = [(c, e) for c, e in ended if c != child]
        if not pd.isna(end):
            ended.append((child, end))
        children.append(child)
    return children
