"""The reconciliation with DfE's published figures computed when a version is published, for the years where to
look's signals are computed (ready/signals.py: their reconciliation signals read the same rows, so the second
process computes both at once). Other years are reconciled live."""

from __future__ import annotations

import duckdb
import pandas as pd

from cscp_metrics.indicators.registry import Registry, load_registry
from cscp_metrics.ready import stamp
from cscp_metrics.ready.signals import periods
from cscp_metrics.scrutiny.reconciliation import COLUMNS, reconcile


def rows(con: duckdb.DuckDBPyConnection, registry: Registry | None = None) -> pd.DataFrame:
    registry = registry or load_registry()
    frames = [reconcile(con, period, registry) for period in periods(con)]
    found = [frame for frame in frames if not frame.empty]
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=COLUMNS)


def read(con: duckdb.DuckDBPyConnection, period: str, computed: list[str] | None = None) -> pd.DataFrame | None:
    """The stored rows of a year (perhaps none), or None when the year was not computed at publish (`computed`:
    periods(con), when the caller knows it without asking the store)."""
    if period not in (periods(con) if computed is None else computed):
        return None
    found = con.execute("SELECT * FROM ready_reconciliation WHERE period = ? ORDER BY rowid", [period]).df()
    return found[COLUMNS]


def find(
    con: duckdb.DuckDBPyConnection,
    period: str,
    registry: Registry | None = None,
    stored_is_current: bool | None = None,
    computed: list[str] | None = None,
) -> pd.DataFrame:
    """reconciliation.reconcile, from the stored rows when they were computed from exactly this store's inputs
    (`stored_is_current` when the caller has already asked the stamp)."""
    current = stamp.current(con, "reconciliation") if stored_is_current is None else stored_is_current
    stored = read(con, period, computed) if current else None
    return stored if stored is not None else reconcile(con, period, registry)
