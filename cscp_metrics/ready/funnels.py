"""Every funnel (DfE indicator x year: each LA's band and rank, and the limit curves) computed when a version is
published, and read back."""

from __future__ import annotations

from io import StringIO

import duckdb
import pandas as pd

from cscp_metrics.indicators.registry import Indicator, Registry, load_registry
from cscp_metrics.ready import stamp
from cscp_metrics.scrutiny import league
from cscp_metrics.store import years as store_years


def rows(con: duckdb.DuckDBPyConnection, registry: Registry | None = None) -> pd.DataFrame:
    """Every funnel as a ready_funnels row, computed from a store that may be open read-only."""
    registry = registry or load_registry()
    rows = []
    for year in store_years.years(con):
        for ind in league.funnel_indicators(con, registry, year):
            points, curves = league.funnel_frame(con, ind, year)
            rows.append(
                (ind.id, year, points.to_json(orient="table", index=False), curves.to_json(orient="table", index=False))
            )
    return pd.DataFrame(rows, columns=["indicator_id", "period", "points", "curves"])


def read(con: duckdb.DuckDBPyConnection, indicator_id: str, period: str) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """(points, curves) as league.funnel_frame gives them, or None when there is no ready funnel for the question."""
    row = con.execute(
        "SELECT points, curves FROM ready_funnels WHERE indicator_id = ? AND period = ?", [indicator_id, period]
    ).fetchone()
    if row is None:
        return None
    return pd.read_json(StringIO(row[0]), orient="table"), pd.read_json(StringIO(row[1]), orient="table")


def frame(con: duckdb.DuckDBPyConnection, ind: Indicator, period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(points, curves): the ready funnel when it was computed from exactly this store's inputs, else live."""
    found = read(con, ind.id, period) if stamp.current(con, "funnels") else None
    return found if found is not None else league.funnel_frame(con, ind, period)
