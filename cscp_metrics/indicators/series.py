"""One indicator's totals over many periods in a single pass over the aggregates (tiles' trends)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from cscp_metrics.indicators import areas
from cscp_metrics.indicators.engine import COLUMNS, DFE_PUBLISHED, with_intervals
from cscp_metrics.indicators.periods import Period
from cscp_metrics.indicators.registry import Indicator, Registry
from cscp_metrics.store import aggregates


def totals(
    con: duckdb.DuckDBPyConnection, ind: Indicator, periods: list[Period], registry: Registry
) -> pd.DataFrame | None:
    """Engine-shaped rows, one per period; None when the aggregates cannot answer (the caller goes live)."""
    if (
        not ind.local
        or ind.statistic not in ("count", "proportion", "rate")
        or ind.counts_population
        or ind.from_returns
    ):
        return None
    labels = [p.label for p in periods]
    numerator = aggregates.lookup_totals(con, registry.measure(ind.numerator), periods)
    if numerator is None:
        return None
    if ind.per_population:
        own = areas.partnership_area(con)
        base = dict(
            con.execute(
                "SELECT mid_year, max_by(population, vintage) FROM population WHERE area_code = ? "
                "AND source = 'partnership' GROUP BY mid_year",
                [own],
            ).fetchall()
        )
        denominator: dict[str, float] = {p.label: base.get(p.fy_start_year, np.nan) for p in periods}
    elif ind.denominator is not None:
        if registry.measure(ind.denominator).kind == "partner":
            return None
        found = aggregates.lookup_totals(con, registry.measure(ind.denominator), periods)
        if found is None:
            return None
        denominator = found
    else:
        denominator = {label: np.nan for label in labels}
    frame = pd.DataFrame(
        {"period": labels, "numerator": [numerator[x] for x in labels], "denominator": [denominator[x] for x in labels]}
    )
    frame = with_intervals(frame, ind)
    frame["value"] = np.where(frame["numerator"].isna(), np.nan, frame["value"])
    frame["indicator_id"], frame["unit"], frame["breakdown"], frame["breakdown_value"] = ind.id, ind.unit, "", None
    frame["area"], frame["source"], frame["suppressed"] = (
        areas.area_label(con, areas.partnership_area(con)),
        "local: " + ind.source,
        False,
    )
    return _published_where_no_local(con, ind, frame).reindex(columns=COLUMNS)


def _published_where_no_local(con: duckdb.DuckDBPyConnection, ind: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """Years no local record covers take DfE's published figure for the council, as the engine does."""
    missing = frame["numerator"].isna() & frame["period"].str.len().eq(7)
    if not missing.any():
        return frame
    published = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT period, numerator, denominator, value, source FROM benchmarks WHERE indicator_id = ? AND area_code = ? "
            "AND value IS NOT NULL AND list_contains(?, period)",
            [ind.id, areas.partnership_area(con), frame.loc[missing, "period"].tolist()],
        ).fetchall()
    }
    for i in frame.index[missing]:
        if frame.at[i, "period"] in published:
            x, n, value, source = published[frame.at[i, "period"]]
            frame.loc[i, ["numerator", "denominator", "value"]] = [x, n, value]
            frame.at[i, "source"] = f"{DFE_PUBLISHED}: {source}"
    return frame


def yearly_series(con: duckdb.DuckDBPyConnection, ind: Indicator, period: str) -> pd.DataFrame:
    """period, value: DfE's published figure for the council in every year up to `period`."""
    return con.execute(
        "SELECT period, value FROM benchmarks WHERE indicator_id = ? AND area_code = ? AND period <= ? "
        "AND value IS NOT NULL AND length(period) = 7 ORDER BY period",
        [ind.id, areas.partnership_area(con), period],
    ).df()
