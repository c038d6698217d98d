"""The drill-down chart each priority page opens with (its first drillable indicator by that indicator's first
dimension) for every year of local records, in both views, computed when a version is published and read back.
Deeper levels, other dimensions and quarters are computed live (and kept per version by the app)."""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from cscp_metrics.indicators.drill import chartable
from cscp_metrics.indicators.registry import Registry, load_registry
from cscp_metrics.indicators.registry.pages import load_pages
from cscp_metrics.indicators.summary import breakdown
from cscp_metrics.ready.increments import kept_rows
from cscp_metrics.ready.tiles import json_ready
from cscp_metrics.store import years as store_years


def opening_charts(registry: Registry) -> list[tuple[str, str]]:
    """(indicator, dimension) of the chart each priority page opens with, as the page chooses it."""
    found = []
    for spec in load_pages().pages:
        shown = chartable([i for area in spec.areas for i in registry.for_area(area)])
        if spec.kind == "priority" and shown and (shown[0].id, shown[0].breakdowns[0]) not in found:
            found.append((shown[0].id, shown[0].breakdowns[0]))
    return found


def rows(
    con: duckdb.DuckDBPyConnection, registry: Registry | None = None, only: frozenset[str] | None = None
) -> pd.DataFrame:
    """`only`: those indicators' charts computed, the others' kept as the store holds them (ready/increments.py)."""
    registry = registry or load_registry()
    opening = opening_charts(registry)
    found = [
        (indicator_id, year, dimension, public, to_json(breakdown(con, indicator_id, year, dimension, {}, public)))
        for year in store_years.local_years(con)
        for indicator_id, dimension in opening
        if only is None or indicator_id in only
        for public in (True, False)
    ]
    kept = [i for i in dict.fromkeys(i for i, _ in opening) if i not in only] if only is not None else []
    for indicator_id in kept:
        found += kept_rows(con, "ready_breakdowns", indicator_id)
    return pd.DataFrame(found, columns=["indicator_id", "period", "dimension", "public", "frame"])


def to_json(frame: pd.DataFrame) -> str:
    """Values (None stays apart from NaN; a hidden cell is NaN), column types and attrs (the breakdown's total)."""
    return json.dumps(
        {
            "columns": list(frame.columns),
            "dtypes": [str(t) for t in frame.dtypes],
            "rows": [[json_ready(v) for v in row] for row in frame.itertuples(index=False)],
            "attrs": {k: json_ready(v) for k, v in frame.attrs.items()},
        },
        allow_nan=True,
    )


def from_json(text: str) -> pd.DataFrame:
    """Each column built with its own type (a third of the time of building the frame as objects, then casting)."""
    body = json.loads(text)
    columns = list(zip(*body["rows"])) or [()] * len(body["columns"])
    frame = pd.DataFrame(
        {
            name: pd.Series(values, dtype=object) if dtype == "object" else pd.array(list(values), dtype=dtype)
            for name, values, dtype in zip(body["columns"], columns, body["dtypes"])
        }
    )
    frame.attrs.update(body["attrs"])
    return frame


def read(
    con: duckdb.DuckDBPyConnection, indicator_id: str, period: str, dimension: str, public: bool
) -> pd.DataFrame | None:
    """The frame summary.breakdown gives at the top of the drill-down, or None when it was not computed at publish."""
    row = con.execute(
        "SELECT frame FROM ready_breakdowns WHERE indicator_id = ? AND period = ? AND dimension = ? AND public = ?",
        [indicator_id, period, dimension, public],
    ).fetchone()
    return None if row is None else from_json(row[0])
