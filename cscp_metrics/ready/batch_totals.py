"""The engine's total rows for one indicator over many periods in a few queries, for publish time.

Each row equals engine.compute(con, indicator, period) for its period (the precompute test holds them to it);
what this cannot answer in bulk (a measure whose filter depends on the period's dates, a change on last year,
DfE-only indicators) is asked of the engine one period at a time."""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import numpy as np
import pandas as pd

from cscp_metrics.indicators import areas
from cscp_metrics.indicators.engine import (
    COLUMNS,
    _from_benchmarks,
    compute,
    with_intervals,
)
from cscp_metrics.indicators.periods import Period
from cscp_metrics.indicators.registry import Indicator, Registry, refs
from cscp_metrics.indicators.registry.refs import CountedRef, Ref
from cscp_metrics.store import aggregates


def _bulk_measure(registry: Registry, ref: CountedRef) -> bool:
    measure = registry.measure(ref)
    return measure.kind == "partner" or "{" not in measure.filter


def answerable(registry: Registry, ind: Indicator) -> bool:
    """Whether totals() computes the indicator in bulk (otherwise it asks the engine period by period)."""
    if not ind.local or (ind.statistic == "change" and ind.denominator is not None):
        return False
    if ind.counts_population:
        return ind.denominator is None
    counted = [r for r in (refs.counted(ind.numerator), refs.counted(ind.denominator)) if r is not None]
    return all(_bulk_measure(registry, ref) for ref in counted)


def measure_totals(
    con: duckdb.DuckDBPyConnection, registry: Registry, ref: Ref, periods: list[Period]
) -> dict[str, float] | None:
    """The measure's total by period label (NaN: no data covers it), as engine.measure_values gives it; None
    when the aggregates are out of date (the engine then goes live, and so do we)."""
    measure = registry.measure(ref)
    if measure.kind != "partner":
        return aggregates.lookup_totals(con, measure, periods)
    rows = con.execute(
        "SELECT p.label, coalesce(sum(r.value) FILTER (WHERE r.breakdown_dimension IS NULL), sum(r.value)) "
        "FROM (SELECT unnest(?) AS label, unnest(?::DATE[]) AS p_start, unnest(?::DATE[]) AS p_end) p "
        "LEFT JOIN partner_returns_current r ON r.measure_id = ? AND r.period_start >= p.p_start "
        "AND r.period_end <= p.p_end GROUP BY p.label",
        [[p.label for p in periods], [p.start for p in periods], [p.end for p in periods], measure.id],
    ).fetchall()
    return {label: np.nan if v is None else float(v) for label, v in rows}


def totals(
    con: duckdb.DuckDBPyConnection,
    registry: Registry,
    ind: Indicator,
    periods: list[Period],
    populations: dict[tuple[str, int], float],
) -> pd.DataFrame:
    """Engine-shaped total rows, one per period in the order given. populations: (basis, mid-year) -> children."""
    frame = _bulk(con, registry, ind, periods, populations) if answerable(registry, ind) else None
    if frame is None:
        return pd.concat([compute(con, ind.id, p, registry=registry) for p in periods], ignore_index=True)
    return frame


def _bulk(
    con, registry: Registry, ind: Indicator, periods: list[Period], populations: dict[tuple[str, int], float]
) -> pd.DataFrame | None:
    labels = [p.label for p in periods]
    numerator: Mapping[str, float | None] | None
    if ind.counts_population:
        numerator = {p.label: populations.get(("partnership", p.fy_start_year)) for p in periods}
    else:
        numerator = measure_totals(con, registry, ind.numerator, periods)
        if numerator is None:
            return None
    frame = pd.DataFrame({"breakdown_value": [None] * len(periods), "numerator": [numerator[x] for x in labels]})
    if ind.statistic == "change":  # on the same period a year earlier
        before = measure_totals(con, registry, ind.numerator, [p.same_period_last_year() for p in periods])
        if before is None:
            return None
        frame["denominator"] = [before[p.same_period_last_year().label] for p in periods]
        frame["value"] = (frame["numerator"] - frame["denominator"]) / frame["denominator"] * 100
    elif ind.per_population:
        frame["denominator"] = [populations.get(("partnership", p.fy_start_year)) for p in periods]
    elif ind.denominator is not None:
        den = measure_totals(con, registry, ind.denominator, periods)
        if den is None:
            return None
        frame["denominator"] = [
            0.0 if np.isnan(den[x]) else den[x] for x in labels
        ]  # the engine sums a missing one to 0
    else:
        frame["denominator"] = np.nan
    frame = with_intervals(frame, ind)
    frame["source"] = "local: " + ind.source
    frame = _published_where_no_local(con, ind, periods, frame)
    own = areas.partnership_area(con)
    frame["indicator_id"], frame["period"], frame["unit"] = ind.id, labels, ind.unit
    frame["area"], frame["breakdown"], frame["suppressed"] = areas.area_label(con, own), "", False
    return frame.reindex(columns=COLUMNS)


def _published_where_no_local(con, ind: Indicator, periods: list[Period], frame: pd.DataFrame) -> pd.DataFrame:
    """A year no local record covers takes DfE's published row for the council whole (engine._dfe_published_instead)."""
    own = areas.partnership_area(con)
    missing = [i for i, p in enumerate(periods) if p.kind == "year" and pd.isna(frame.at[i, "value"])]
    if not own or not missing:
        return frame
    published = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT period FROM benchmarks WHERE indicator_id = ? AND area_code = ?", [ind.id, own]
        ).fetchall()
    }
    rows = frame.to_dict("records")
    replaced = False
    for i in missing:
        if periods[i].fy_label not in published:
            continue
        row = _from_benchmarks(con, ind, periods[i], own, own)
        if not pd.isna(row["value"].iloc[0]):
            rows[i] = {column: row[column].iloc[0] if column in row else np.nan for column in COLUMNS}
            replaced = True
    return pd.DataFrame(rows) if replaced else frame
