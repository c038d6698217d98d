"""SPC XmR charts with the NHS 'Making Data Count' rules, icons and assurance."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

MIN_POINTS = 12
RUN = 7


def xmr(values: list[float] | np.ndarray) -> pd.DataFrame:
    """Centre = mean; limits = mean ± 2.66 × mean moving range; each point flagged by rule."""
    x = np.asarray(values, dtype=float)
    if len(x) < 2:
        raise ValueError("an XmR chart needs at least two points")
    mean = float(x.mean())
    mr = float(np.abs(np.diff(x)).mean())
    ucl, lcl = mean + 2.66 * mr, mean - 2.66 * mr
    shift, trend, two_of_three = _runs(np.sign(x - mean)), _trend(x), _two_of_three(x, mean, ucl, lcl)
    return pd.DataFrame(
        {  # built whole, in one go: it is drawn for every tile's SPC line
            "value": x,
            "mean": mean,
            "ucl": ucl,
            "lcl": lcl,
            "outside": (x > ucl) | (x < lcl),
            "shift": shift,
            "trend": trend,
            "two_of_three": two_of_three,
            "special_high": (x > ucl) | ((shift | two_of_three) & (x > mean)) | (trend > 0),
            "special_low": (x < lcl) | ((shift | two_of_three) & (x < mean)) | (trend < 0),
        }
    )


def _runs(side: np.ndarray) -> np.ndarray:
    """Points in a run of 7 or more on one side of the mean (a point on the mean breaks the run)."""
    flags = np.zeros(len(side), dtype=bool)
    start = 0
    for i in range(1, len(side) + 1):
        if i == len(side) or side[i] != side[start] or side[i] == 0:
            if side[start] != 0 and i - start >= RUN:
                flags[start:i] = True
            start = i
    return flags


def _trend(x: np.ndarray) -> np.ndarray:
    """+1 / -1 for points in 7 or more consecutive strictly rising / falling points."""
    out = np.zeros(len(x), dtype=int)
    for direction in (1, -1):
        start = 0
        for i in range(1, len(x) + 1):
            if i == len(x) or np.sign(x[i] - x[i - 1]) != direction:
                if i - start >= RUN:
                    out[start:i] = direction
                start = i
    return out


def _two_of_three(x: np.ndarray, mean: float, ucl: float, lcl: float) -> np.ndarray:
    """2 of 3 consecutive points beyond two-thirds of the way to a limit, on the same side."""
    hi, lo = mean + 2 / 3 * (ucl - mean), mean - 2 / 3 * (mean - lcl)
    flags = np.zeros(len(x), dtype=bool)
    for i in range(len(x) - 2):
        window = x[i : i + 3]
        for beyond in (window > hi, window < lo):
            if beyond.sum() >= 2:
                flags[i : i + 3] |= beyond
    return flags


def rule_words(point: pd.Series, unit: Literal["month", "year"]) -> str:
    """Which rule flagged a point, for a sentence about it ("... in March 2020 is <rule>"); unit: month or year."""
    if point["outside"]:
        return "outside the control limits"
    if point["shift"]:
        return f"in a run of {RUN} or more {unit}s on one side of the average"
    if point["trend"]:
        return f"in a trend of {RUN} or more {unit}s rising or falling"
    return f"one of 2 {unit}s in 3 in a row close to a control limit (beyond two-thirds of the way to it)"


def variation_icon(chart: pd.DataFrame, polarity: str) -> str:
    """The icon for the latest point: common cause, or improvement / concern (high or low)."""
    if len(chart) < MIN_POINTS:
        return "too few points"
    last = chart.iloc[-1]
    if not (last["special_high"] or last["special_low"]):
        return "common cause"
    side = "high" if last["special_high"] else "low"
    if polarity == "neutral":
        return f"special cause ({side})"
    good = (side == "high") == (polarity == "high_is_good")
    return f"{'improvement' if good else 'concern'} ({side})"
