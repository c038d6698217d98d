"""Where to look's signals computed when a version is published, for the years a meeting opens most: the store's
default year, the year before it and the newest year. Other years are computed live (about 5 s) and then cached."""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from cscp_metrics.indicators.registry import Registry, load_registry
from cscp_metrics.ready import stamp
from cscp_metrics.scrutiny import where_to_look
from cscp_metrics.scrutiny.signals import Signal
from cscp_metrics.store import years as store_years


def periods(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The default year (the demo: 2019-20, its annual report), the year before it and the newest year."""
    local = store_years.local_years(con)
    return periods_of(store_years.years(con, local), store_years.default_year(con, local))


def periods_of(shown: list[str], default: str | None) -> list[str]:
    """periods() from the store's years and default year, when the caller has them (a version's receipt)."""
    if default not in shown:
        return []
    at = shown.index(default)
    return sorted({default, shown[-1], *shown[max(at - 1, 0) : at]})


def rows(
    con: duckdb.DuckDBPyConnection, registry: Registry | None = None, only: frozenset[str] | None = None
) -> pd.DataFrame:
    """Each period's signals in each view as a ready_signals row, unranked (where_to_look.unranked: ranked on
    reading, so that `only` those indicators' signals can be checked again, the others' kept as stored, and rank
    as they would all checked afresh). The store may be open read-only."""
    registry = registry or load_registry()
    found = []
    for period in periods(con):
        for public in (True, False):
            known = _known(con, period, public, registry, only) if only is not None else None
            signals = where_to_look.unranked(con, period, public, registry, known)
            found.append((period, public, json.dumps([s.model_dump() for s in signals], allow_nan=True)))
    return pd.DataFrame(found, columns=["period", "public", "signals"])


def _known(
    con: duckdb.DuckDBPyConnection, period: str, public: bool, registry: Registry, only: frozenset[str]
) -> dict[str, list[Signal]] | None:
    """The stored signals of every indicator not in `only` (none stored for this period: all checked again)."""
    stored = _stored(con, period, public)
    if stored is None:
        return None
    known: dict[str, list[Signal]] = {i: [] for i in registry.indicators if i not in only}
    for signal in stored:
        if signal.kind != "reconciliation" and signal.indicator_id in known:
            known[signal.indicator_id].append(signal)
    return known


def _stored(con: duckdb.DuckDBPyConnection, period: str, public: bool) -> list[Signal] | None:
    row = con.execute("SELECT signals FROM ready_signals WHERE period = ? AND public = ?", [period, public]).fetchone()
    return None if row is None else [Signal.model_validate(s) for s in json.loads(row[0])]


def read(con: duckdb.DuckDBPyConnection, period: str, public: bool) -> list[Signal] | None:
    """The stored signals ranked, or None when this period was not computed at publish."""
    stored = _stored(con, period, public)
    return None if stored is None else where_to_look.rank(stored)


def find(
    con: duckdb.DuckDBPyConnection,
    period: str,
    *,
    public: bool = True,
    include_similar: bool = False,
    registry: Registry | None = None,
    challenge_log: duckdb.DuckDBPyConnection | None = None,
    stored_is_current: bool | None = None,
) -> list[Signal]:
    """where_to_look.find, from the stored signals when they were computed from exactly this store's inputs
    (`stored_is_current` when the caller has already asked the stamp)."""
    current = stamp.current(con, "signals") if stored_is_current is None else stored_is_current
    stored = read(con, period, public) if current else None
    ranked = stored if stored is not None else where_to_look.checked(con, period, public, registry)
    return where_to_look.select(ranked, period, include_similar, challenge_log)
