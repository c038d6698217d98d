"""Every English LA on one DfE indicator: funnel-plot positions, rank and quartile (polarity-aware)."""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from . import areas
from .registry import Indicator
from .stats.funnel import funnel_limits, funnel_position


@dataclass(frozen=True)
class Standing:
    """Where the partnership sits among all LAs with a published value."""
    value: float
    rank: int           # 1 = best (or highest, for a neutral indicator)
    of: int
    quartile: int       # 1 = best (or highest) quarter of LAs
    position: str       # funnel: within 95%, above/below 95% or 99.8%
    pooled: float       # England's pooled value (sum x / sum n over LAs)


def la_values(con: duckdb.DuckDBPyConnection, ind: Indicator, period: str) -> pd.DataFrame:
    """area_code, name, numerator, denominator, value for every LA DfE publishes a value for."""
    frame = con.execute(
        "SELECT b.area_code, a.name, b.numerator, b.denominator, b.value FROM benchmarks b "
        "JOIN areas a USING (area_code) WHERE a.level = 'la' AND b.indicator_id = ? AND b.period = ? "
        "AND b.value IS NOT NULL AND b.numerator IS NOT NULL AND b.denominator > 0 ORDER BY b.area_code",
        [ind.id, period]).df()
    own = areas.partnership_area(con)
    neighbours = set(areas.neighbours(con, own)) if own else set()
    frame["group"] = np.where(frame["area_code"] == own, "partnership",
                              np.where(frame["area_code"].isin(neighbours), "statistical neighbour", "other LA"))
    return frame


def funnel_frame(con: duckdb.DuckDBPyConnection, ind: Indicator, period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(points with each LA's funnel position, limit curves over the range of denominators)."""
    points = la_values(con, ind, period)
    if points.empty or ind.statistic not in ("proportion", "rate"):
        return points, pd.DataFrame()
    total_x, total_n = points["numerator"].sum(), points["denominator"].sum()
    at_points = funnel_limits(total_x, total_n, points["denominator"].to_numpy(), ind.statistic, ind.multiplier)
    points["position"] = [funnel_position(v, lim) for v, (_, lim) in zip(points["value"], at_points.iterrows())]
    sizes = np.geomspace(max(points["denominator"].min() * 0.8, 1), points["denominator"].max() * 1.1, 120)
    curves = funnel_limits(total_x, total_n, sizes, ind.statistic, ind.multiplier)
    return points, curves


def rank_of(values: pd.Series, own: float, polarity: str) -> tuple[int, int, int]:
    """(rank, of, quartile): rank 1 is the best value, or the highest when the polarity is neutral."""
    better_first = values.sort_values(ascending=polarity == "low_is_good").reset_index(drop=True)
    if polarity == "low_is_good":
        rank = int((better_first < own).sum()) + 1
    else:
        rank = int((better_first > own).sum()) + 1
    of = len(better_first)
    quartile = min(4, int(np.ceil(rank / of * 4))) if of else 0
    return rank, of, quartile


def standing(con: duckdb.DuckDBPyConnection, ind: Indicator, period: str) -> Standing | None:
    points, _ = funnel_frame(con, ind, period)
    own = points[points["group"] == "partnership"]
    if own.empty or "position" not in points:
        return None
    value = float(own["value"].iloc[0])
    rank, of, quartile = rank_of(points["value"], value, ind.polarity)
    pooled = points["numerator"].sum() / points["denominator"].sum() * ind.multiplier
    return Standing(value=value, rank=rank, of=of, quartile=quartile, position=own["position"].iloc[0], pooled=float(pooled))
