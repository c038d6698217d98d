"""Missing episodes with return home interviews: 1,030 episodes from 132 children in 2019-20, and
68% of children with a completed RHI going missing less in the next quarter."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from cscp_metrics.demo.calendar import FY_STARTS
from cscp_metrics.demo.children import ChildRegister

MISSING = {
    2014: (140, 960),
    2015: (146, 1010),
    2016: (158, 1120),
    2017: (161, 1180),
    2018: (152, 1105),
    2019: (132, 1030),
    2020: (118, 870),
}  # (children, episodes)
RHI_REDUCTION_2019 = 0.68
RISK = ("none", "cse", "cce", "both")
RISK_P = (0.62, 0.14, 0.18, 0.06)


def _episode_counts(rng: np.random.Generator, children: int, episodes: int) -> np.ndarray:
    """At least one each; the rest heavy-tailed, so a small cohort goes missing again and again."""
    weights = rng.pareto(1.3, children) + 0.05
    extra = rng.multinomial(episodes - children, weights / weights.sum())
    return extra + 1


def _child_quarters(rng: np.random.Generator, count: int) -> np.ndarray:
    """Spread one child's episodes over a run of consecutive quarters, fading out."""
    first = int(rng.integers(0, 4))
    span = int(min(4 - first, 1 + rng.poisson(1.2)))
    weights = 0.55 ** np.arange(span)
    quarters = np.zeros(4, dtype=int)
    quarters[first : first + span] = rng.multinomial(count, weights / weights.sum())
    return quarters


def missing_episodes(rng: np.random.Generator, register: ChildRegister) -> pd.DataFrame:
    rows = []
    carried: list[str] = []
    for fy in FY_STARTS:
        n_children, n_episodes = MISSING[fy]
        keep = [c for c in carried if rng.random() < 0.35][: n_children // 3]
        cohort = keep + [
            register.new(datetime(fy, 6, 1).date(), age_range=(11, 17)) for _ in range(n_children - len(keep))
        ]
        carried = cohort
        for child, count in zip(cohort, _episode_counts(rng, n_children, n_episodes)):
            risk = rng.choice(RISK, p=RISK_P)
            for q, n in enumerate(_child_quarters(rng, int(count))):
                q_start = datetime(fy + (q == 3), (4 + 3 * q - 1) % 12 + 1, 1)
                for _ in range(n):
                    start = q_start + timedelta(days=int(rng.integers(0, 90)), hours=int(rng.integers(0, 24)))
                    away = timedelta(hours=float(rng.lognormal(2.8, 0.9)))
                    offer = timedelta(
                        hours=float(rng.choice([rng.uniform(2, 72), rng.uniform(73, 240)], p=[0.86, 0.14]))
                    )
                    rows.append([child, start, start + away, start + away + offer, str(risk), fy, q])
    frame = pd.DataFrame(
        rows,
        columns=[
            "child_id",
            "start_datetime",
            "return_datetime",
            "rhi_offered_datetime",
            "exploitation_risk",
            "fy",
            "q",
        ],
    )
    frame = frame.sort_values("start_datetime", kind="stable").reset_index(drop=True)
    frame["rhi_completed"] = _rhi_completed(rng, frame)
    frame["episode_id"] = [f"M{i:05d}" for i in range(len(frame))]
    return frame[
        [
            "child_id",
            "episode_id",
            "start_datetime",
            "return_datetime",
            "rhi_offered_datetime",
            "rhi_completed",
            "exploitation_risk",
        ]
    ]


def _rhi_completed(rng: np.random.Generator, frame: pd.DataFrame) -> np.ndarray:
    completed = rng.random(len(frame)) < 0.6
    qindex = frame["fy"] * 4 + frame["q"]
    counts = frame.groupby(["child_id", qindex]).size()
    in_2019 = np.flatnonzero((frame["fy"] == 2019).to_numpy())
    completed[in_2019] = False
    reduce: list[tuple[str, int]] = []
    steady: list[tuple[str, int]] = []
    for (child, qi), n in counts.items():
        if qi // 4 == 2019:
            (reduce if counts.get((child, qi + 1), 0) < n else steady).append((child, qi))
    k_reduce, k_steady = _split_for_share(len(reduce), len(steady), RHI_REDUCTION_2019)
    chosen = [reduce[i] for i in rng.choice(len(reduce), k_reduce, replace=False)]
    chosen += [steady[i] for i in rng.choice(len(steady), k_steady, replace=False)]
    keys = list(zip(frame["child_id"], qindex))
    position: dict[tuple[str, int], list[int]] = {}
    for i, key in enumerate(keys):
        position.setdefault(key, []).append(i)
    for key in chosen:
        rows = position[key]
        completed[rows] = rng.random(len(rows)) < 0.7
        completed[rows[int(rng.integers(0, len(rows)))]] = True
    return completed


def _split_for_share(available_yes: int, available_no: int, share: float) -> tuple[int, int]:
    """The largest (yes, no) within what is available whose yes share rounds to `share` (whole percent)."""
    for total in range(available_yes + available_no, 0, -1):
        yes = round(total * share)
        if yes <= available_yes and total - yes <= available_no and round(100 * yes / total) == round(100 * share):
            return yes, total - yes
    raise ValueError("not enough child-quarters to reach the RHI reduction share")
