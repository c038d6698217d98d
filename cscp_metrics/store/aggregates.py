"""Measures pre-aggregated at load time: by financial year, quarter and month, total and by every breakdown.

One GROUPING SETS query per measure; a measure whose filter depends on the period's own dates is left to
the live engine. Aggregates record the newest load they include and are ignored once a newer load exists."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from cscp_metrics import read_memo
from cscp_metrics.indicators.periods import Period, covering
from cscp_metrics.indicators.registry import Measure, Registry, load_registry
from cscp_metrics.read_memo import remembered
from cscp_metrics.store.statements import scalar


def _newest_load(con: duckdb.DuckDBPyConnection) -> int:
    return scalar(con, "SELECT coalesce(max(load_id), 0) FROM loads WHERE outcome = 'loaded'")


def _periods(con: duckdb.DuckDBPyConnection, table: str, date: str) -> pd.DataFrame | None:
    """Every year, quarter and month the table's dates overlap, labelled as parse_period reads them back."""
    [(first, last)] = con.execute(f"SELECT min({date})::DATE, max({date})::DATE FROM {table}").fetchall()
    if first is None:
        return None
    found = covering(first, last)
    return pd.DataFrame(
        {
            "p_label": [p.label for p in found],
            "p_kind": [p.kind for p in found],
            "p_start": [p.start for p in found],
            "p_end": [p.end for p in found],
        }
    )


def build(con: duckdb.DuckDBPyConnection, registry: Registry | None = None) -> int:
    """Rebuild every aggregate; returns the rows written."""
    registry = registry or load_registry()
    con.execute("DELETE FROM measure_aggregates")
    con.execute("DELETE FROM aggregate_builds")
    newest = _newest_load(con)
    for measure in registry.measures.values():
        if measure.kind == "partner" or "{" in measure.filter or measure.lookback_years:
            continue  # a look-back is checked by the live engine against the records' first date
        table = registry.tables[measure.table]
        periods = _periods(con, table.name, table.date)
        if periods is None:
            continue
        con.register("aggregate_periods", periods)
        on = (
            f"t.{table.date} <= p.p_end AND (t.{table.end} IS NULL OR t.{table.end} > p.p_end)"
            if measure.kind == "snapshot"
            else f"t.{table.date} BETWEEN p.p_start AND p.p_end"
        )
        dims = list(table.dimensions.items())
        sets = ", ".join(["(p_label, p_kind, p_start)"] + [f"(p_label, p_kind, p_start, {expr})" for _, expr in dims])
        which = " ".join(f"WHEN GROUPING({expr}) = 0 THEN '{name}'" for name, expr in dims)
        value = " ".join(f"WHEN GROUPING({expr}) = 0 THEN CAST({expr} AS VARCHAR)" for _, expr in dims)
        case_dim = f"CASE {which} ELSE '' END" if dims else "''"
        case_b = f"CASE {value} ELSE NULL END" if dims else "NULL"
        con.execute(f"""
            INSERT INTO measure_aggregates
            SELECT '{measure.id}', p_label, p_kind, p_start, {case_dim}, {case_b}, {measure.agg}
            FROM (SELECT * FROM {table.name}) t JOIN aggregate_periods p ON {on}
            WHERE ({measure.filter or "true"})
            GROUP BY GROUPING SETS ({sets})""")
        con.unregister("aggregate_periods")
        labels = periods["p_label"].tolist()
        for name in [""] + [n for n, _ in dims]:
            con.execute("INSERT INTO aggregate_builds VALUES (?, ?, ?, ?)", [measure.id, name, labels, newest])
    return scalar(con, "SELECT count(*) FROM measure_aggregates")


@remembered
def _covered_periods(con: duckdb.DuckDBPyConnection, measure_id: str, dimension: str) -> set[str] | None:
    """The periods an up-to-date aggregate covers; None when there is none (or a newer load exists)."""
    try:
        row = con.execute(
            "SELECT periods, up_to_load = (SELECT coalesce(max(load_id), 0) FROM loads WHERE outcome = 'loaded') "
            "FROM aggregate_builds WHERE measure_id = ? AND dimension = ?",
            [measure_id, dimension],
        ).fetchone()
    except duckdb.CatalogException:  # a store from before schema version 5, opened read-only
        return None
    return set(row[0]) if row is not None and row[1] else None


@remembered
def _rows(con: duckdb.DuckDBPyConnection, measure_id: str, dimension: str) -> dict[tuple[str, str, date], list[tuple]]:
    """A measure's aggregates by one dimension, (period, kind, start) -> [(b, v)], in one query: for the totals (a
    row per year, quarter and month) as quick as asking for one period, and a read scope asks each measure once."""
    found: dict[tuple[str, str, date], list[tuple]] = {}
    for label, kind, start, b, v in con.execute(
        "SELECT period, period_kind, period_start, b, v FROM measure_aggregates WHERE measure_id = ? AND dimension = ? "
        "ORDER BY period_start",
        [measure_id, dimension],
    ).fetchall():
        found.setdefault((label, kind, start), []).append((b, v))
    return found


def _period_rows(con: duckdb.DuckDBPyConnection, measure_id: str, dimension: str, period: Period) -> list[tuple]:
    """(b, v) of one period: from all the measure's periods when a scope keeps them, else asked for alone (a
    breakdown's rows for every period, wards say, cost twice the one period's query when nothing keeps them)."""
    if read_memo.active():
        return _rows(con, measure_id, dimension).get((period.label, period.kind, period.start), [])
    return con.execute(
        "SELECT b, v FROM measure_aggregates WHERE measure_id = ? AND period = ? AND period_kind = ? "
        "AND period_start = ? AND dimension = ?",
        [measure_id, period.label, period.kind, period.start, dimension],
    ).fetchall()


def _months(con: duckdb.DuckDBPyConnection, measure_id: str, period: Period) -> pd.DataFrame:
    months = [
        (start.strftime("%Y-%m"), rows[0][1])
        for (_, kind, start), rows in _rows(con, measure_id, "").items()
        if kind == "month" and period.start <= start <= period.end
    ]
    return pd.DataFrame(months, columns=["b", "v"]).astype({"b": object, "v": float})


def lookup(
    con: duckdb.DuckDBPyConnection, measure: Measure, period: Period, dimension: str | None
) -> pd.DataFrame | None:
    """Columns b, v from the aggregates, or None when they do not cover this question (the engine goes live)."""
    by_month = dimension == "month" and measure.kind == "event"
    wanted = "" if by_month else (dimension or "")
    covered = _covered_periods(con, measure.id, wanted)
    if covered is None:
        return None
    if by_month:  # each month's total within the period (or span of months), b as the live engine writes a month
        return _months(con, measure.id, period)
    if period.kind == "span" or period.label not in covered:
        return None
    rows = _period_rows(con, measure.id, wanted, period)
    if dimension is None and not rows:
        rows = [(None, 0.0)]
    if not rows:
        return pd.DataFrame({"b": pd.Series(dtype=object), "v": pd.Series(dtype="int64")})
    if all(v is not None and v % 1 == 0 for _, v in rows):  # counts, as the live engine returns them
        rows = [(b, int(v)) for b, v in rows]  # a quarter of the time pandas takes to check and convert the column
    return pd.DataFrame(rows, columns=["b", "v"])


def lookup_totals(con: duckdb.DuckDBPyConnection, measure: Measure, periods: list[Period]) -> dict[str, float] | None:
    """The measure's total for many periods, by label: NaN where the data does not cover a period, None when the
    measure is not aggregated or the aggregates are older than the newest load."""
    covered = _covered_periods(con, measure.id, "")
    if covered is None:
        return None
    found = {(kind, start): rows[0][1] for (_, kind, start), rows in _rows(con, measure.id, "").items()}
    return {p.label: found.get((p.kind, p.start), 0.0) if p.label in covered else float("nan") for p in periods}
