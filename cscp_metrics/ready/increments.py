"""What changed since a ready part was computed, so a publish recomputes only what depends on it.

An agency's return is the publish a partnership makes most (every agency, every quarter), and it changes only the
partner returns of the measures it returns. Its indicators are recomputed; every other indicator's rows are kept,
because everything else they read (the case records, DfE's figures, the settings, the years shown, the registry
and this code) fingerprints the same as when they were computed. Anything else that changed recomputes the part
whole. The precompute test holds a part computed this way equal to the same part computed whole."""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb

from cscp_metrics.indicators.registry import Indicator, Registry
from cscp_metrics.indicators.registry.refs import MeasureRef, PartnerRef
from cscp_metrics.ready import stamp
from cscp_metrics.store import years as store_years
from cscp_metrics.store.sql_quoting import identifier

# Parts kept per indicator: their rows say which indicator they are about (the funnels read DfE's figures only and
# are not recomputed for a return; the reconciliation is cheap and recomputed whole).
BY_INDICATOR = ("tiles", "signals", "breakdowns")
RETURNS = "partner_returns"
ANY_RETURN = "*"  # what a measure over the returns table counts when its filter, not a measure id, picks the rows


@dataclass(frozen=True)
class Inputs:
    """shared: a fingerprint of everything but the partner returns; returns: per measure, 'rows:newest load'."""

    shared: str
    returns: dict[str, str]


def inputs(con: duckdb.DuckDBPyConnection) -> Inputs:
    present = stamp.present_tables(con)
    local = store_years.local_years(con)
    shared = stamp.code_digest() + ";" + stamp.reference_hash(con, present)
    shared += f";{stamp.data_counts(con, present, leave_out=(RETURNS,))};{store_years.years(con, local)};{local}"
    returns = (
        {
            measure: f"{rows}:{newest}"
            for measure, rows, newest in con.execute(
                "SELECT measure_id, count(*), max(load_id) FROM partner_returns GROUP BY measure_id"
            ).fetchall()
        }
        if RETURNS in present
        else {}
    )
    return Inputs(shared, returns)


def to_recompute(con: duckdb.DuckDBPyConnection, part: str, now: Inputs, registry: Registry) -> frozenset[str] | None:
    """The indicators whose rows of `part` must be computed again; None: the part whole (it is not kept per
    indicator, was never computed with its inputs recorded, failed, or something besides the returns changed)."""
    if part not in BY_INDICATOR:
        return None
    before = recorded(con, part)
    if before is None or before.shared != now.shared:
        return None
    changed = {m for m in before.returns.keys() | now.returns.keys() if before.returns.get(m) != now.returns.get(m)}
    if not changed:
        return frozenset()
    return frozenset(
        i.id for i in registry.indicators.values() if reads_returns_of(i, registry) & {*changed, ANY_RETURN}
    )


def reads_returns_of(indicator: Indicator, registry: Registry) -> set[str]:
    """The returned measures an indicator counts (its numerator's and its denominator's); ANY_RETURN for a measure
    over the returns table whose filter picks the rows (recomputed for any return)."""
    found = set()
    for ref in (indicator.numerator, indicator.denominator):
        if isinstance(ref, PartnerRef):
            found.add(ref.measure)
        elif isinstance(ref, MeasureRef) and registry.measure(ref).table.startswith(RETURNS):
            found.add(ANY_RETURN)
    return found


def recorded(con: duckdb.DuckDBPyConnection, part: str) -> Inputs | None:
    try:
        row = con.execute("SELECT shared, returns FROM ready_inputs WHERE part = ?", [part]).fetchone()
    except duckdb.CatalogException:  # a store from before schema version 11
        return None
    return None if row is None else Inputs(row[0], json.loads(row[1]))


def record(con: duckdb.DuckDBPyConnection, part: str, found: Inputs | None) -> None:
    """What `part` was just computed from; None: it failed, and nothing may be kept from it."""
    con.execute("DELETE FROM ready_inputs WHERE part = ?", [part])
    if found is not None:
        con.execute("INSERT INTO ready_inputs VALUES (?, ?, ?)", [part, found.shared, json.dumps(found.returns)])


def kept_rows(con: duckdb.DuckDBPyConnection, table: str, indicator_id: str) -> list[tuple]:
    """A ready table's stored rows about one indicator, in the table's column order (`table`: ours, not input)."""
    return con.execute(
        f"SELECT * FROM {identifier(table)} WHERE indicator_id = ? ORDER BY rowid", [indicator_id]
    ).fetchall()
