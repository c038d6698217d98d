"""Changes beyond normal variation over the years DfE publishes: an XmR chart of the council's own yearly figures,
for years the partnership's monthly records do not cover (DfE publishes whole years only)."""

from __future__ import annotations

import duckdb
import pandas as pd

from cscp_metrics.indicators.engine import DFE_PUBLISHED
from cscp_metrics.indicators.links import page_link
from cscp_metrics.indicators.registry import Indicator
from cscp_metrics.indicators.series import yearly_series
from cscp_metrics.indicators.summary import format_value
from cscp_metrics.scrutiny.signals import Signal, direction_by_polarity
from cscp_metrics.stats.spc import MIN_POINTS, rule_words, xmr


def signals(con: duckdb.DuckDBPyConnection, ind: Indicator, period: str, row: pd.Series) -> list[Signal]:
    """The selected year flagged as special cause among the council's published years, if it is."""
    if not str(row["source"]).startswith(DFE_PUBLISHED) or ind.statistic not in ("count", "proportion", "rate"):
        return []
    series = yearly_series(con, ind, period)
    if len(series) < MIN_POINTS or series["period"].iloc[-1] != period:
        return []
    chart = xmr(series["value"].to_numpy(dtype=float))
    point = chart.iloc[-1]
    if not (point["special_high"] or point["special_low"]):
        return []
    high = bool(point["special_high"])
    direction = direction_by_polarity(high, ind.polarity)
    verdict = f" ({direction})" if direction in ("better", "worse") else ""
    first = series["period"].iloc[0]
    text = (
        f"{ind.title}: {format_value(point['value'], ind)} in {period} is {rule_words(point, 'year')} (DfE, {first} to "
        f"{period}: average {format_value(point['mean'], ind)}, limits {format_value(max(point['lcl'], 0), ind)} "
        f"to {format_value(point['ucl'], ind)}, {len(series)} years): special cause variation, "
        f"{'high' if high else 'low'}{verdict}."
    )
    return [
        Signal(
            indicator_id=ind.id,
            title=ind.title,
            period=period,
            area="partnership",
            breakdown="year",
            breakdown_value=period,
            kind="spc",
            comparator=f"own {len(series)}-year average",
            direction=direction,
            value=float(point["value"]),
            comparator_value=float(point["mean"]),
            evidence=2 if point["outside"] else 1,
            sentence=text,
            link=page_link(ind, period),
        )
    ]
