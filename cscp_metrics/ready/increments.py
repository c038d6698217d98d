"""What changed since a ready part was computed, so a publish recomputes only what depends on it.

An agency's return is the publish a partnership makes most (every agency, every quarter), and it changes only the
partner returns of the measures it returns; the council's monthly load changes one case-record table. The
indicators counting those measures, or reading that table through their measures' views, are recomputed; every
other indicator's rows are kept, because everything else they read (the other tables, DfE's figures, the
settings, the years shown, the registry and this code) fingerprints the same as when they were computed. Anything
else that changed recomputes the part whole. The precompute test holds a part computed this way equal to the same
part computed whole."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import duckdb

from cscp_metrics.indicators.registry import Indicator, Registry
from cscp_metrics.indicators.registry.refs import MeasureRef, PartnerRef
from cscp_metrics.ready import stamp
from cscp_metrics.store import years as store_years
from cscp_metrics.store.connection import DATA_TABLES
from cscp_metrics.store.sql_quoting import identifier, literal

# Parts kept per indicator: their rows say which indicator they are about (the funnels read DfE's figures only and
# are not recomputed for a return; the reconciliation is cheap and recomputed whole).
BY_INDICATOR = ("tiles", "signals", "breakdowns")
RETURNS = "partner_returns"
ANY_RETURN = "*"  # what a measure over the returns table counts when its filter, not a measure id, picks the rows
# the case records, changed only by loads; the reference tables are hashed whole into `shared`
CASE_TABLES = tuple(t for t in DATA_TABLES if t != RETURNS and t not in stamp.REFERENCE)


@dataclass(frozen=True)
class Inputs:
    """shared: a fingerprint of everything but the partner returns and the case records; returns: per measure,
    'rows:newest load'; tables: per case-record table, the same (None: recorded before schema version 12)."""

    shared: str
    returns: dict[str, str]
    tables: dict[str, str] | None


def inputs(con: duckdb.DuckDBPyConnection) -> Inputs:
    present = stamp.present_tables(con)
    local = store_years.local_years(con)
    shared = stamp.code_digest() + ";" + stamp.reference_hash(con, present)
    shared += f";{store_years.years(con, local)};{local}"
    return Inputs(shared, _returns(con, present), _tables(con, present))


def _tables(con: duckdb.DuckDBPyConnection, present: set[str]) -> dict[str, str]:
    tables = [t for t in CASE_TABLES if t in present]
    if not tables:
        return {}
    counts = con.execute(
        " UNION ALL ".join(f"SELECT {literal(t)}, count(*) FROM {identifier(t)}" for t in tables)
    ).fetchall()
    newest = dict(
        con.execute(
            "SELECT table_name, max(load_id) FROM loads WHERE outcome = 'loaded' GROUP BY table_name"
        ).fetchall()
        if "loads" in present
        else []
    )
    return {table: f"{rows}:{newest.get(table, 0)}" for table, rows in counts}


def _returns(con: duckdb.DuckDBPyConnection, present: set[str]) -> dict[str, str]:
    if RETURNS not in present:
        return {}
    return {
        measure: f"{rows}:{newest}"
        for measure, rows, newest in con.execute(
            "SELECT measure_id, count(*), max(load_id) FROM partner_returns GROUP BY measure_id"
        ).fetchall()
    }


def to_recompute(con: duckdb.DuckDBPyConnection, part: str, now: Inputs, registry: Registry) -> frozenset[str] | None:
    """The indicators whose rows of `part` must be computed again; None: the part whole (it is not kept per
    indicator, was never computed with its inputs recorded, failed, or something besides the returns and the
    case records changed)."""
    if part not in BY_INDICATOR:
        return None
    before = recorded(con, part)
    if before is None or before.tables is None or now.tables is None or before.shared != now.shared:
        return None
    returns, tables = _changed(before.returns, now.returns), _changed(before.tables, now.tables)
    if returns:
        returns.add(ANY_RETURN)
    reads = views_read(con) if tables else {}
    return frozenset(
        i.id
        for i in registry.indicators.values()
        if reads_returns_of(i, registry) & returns or reads_tables_of(i, registry, reads) & tables
    )


def _changed(before: dict[str, str], now: dict[str, str]) -> set[str]:
    return {key for key in before.keys() | now.keys() if before.get(key) != now.get(key)}


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


def reads_tables_of(indicator: Indicator, registry: Registry, reads: dict[str, set[str]]) -> set[str]:
    """The case-record tables an indicator's measures read, directly or through the views they count."""
    found: set[str] = set()
    for ref in (indicator.numerator, indicator.denominator):
        if isinstance(ref, MeasureRef):
            table = registry.measure(ref).table
            found |= reads.get(table, {table})
    return found


def views_read(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """Each view's case-record tables, from the SQL the store holds, through the views it reads in turn. A table
    named anywhere in a view counts as read: a name read wrongly only recomputes more."""
    sql = dict(con.execute("SELECT view_name, sql FROM duckdb_views() WHERE NOT internal").fetchall())
    names = {view: set(re.findall(r"\b\w+\b", text)) for view, text in sql.items()}

    def tables(view: str, seen: frozenset[str]) -> set[str]:
        found = names[view] & set(CASE_TABLES)
        for inner in (names[view] & sql.keys()) - seen - {view}:
            found |= tables(inner, seen | {view})
        return found

    return {view: tables(view, frozenset()) for view in sql}


def recorded(con: duckdb.DuckDBPyConnection, part: str) -> Inputs | None:
    try:
        row = con.execute("SELECT shared, returns, tables FROM ready_inputs WHERE part = ?", [part]).fetchone()
    except (duckdb.CatalogException, duckdb.BinderException):  # a store from before schema version 11 or 12
        return None
    return None if row is None else Inputs(row[0], json.loads(row[1]), None if row[2] is None else json.loads(row[2]))


def record(con: duckdb.DuckDBPyConnection, part: str, found: Inputs | None) -> None:
    """What `part` was just computed from; None: it failed, and nothing may be kept from it."""
    con.execute("DELETE FROM ready_inputs WHERE part = ?", [part])
    if found is not None:
        con.execute(
            "INSERT INTO ready_inputs VALUES (?, ?, ?, ?)",
            [part, found.shared, json.dumps(found.returns), json.dumps(found.tables)],
        )


def kept_rows(con: duckdb.DuckDBPyConnection, table: str, indicator_id: str) -> list[tuple]:
    """A ready table's stored rows about one indicator, in the table's column order (`table`: ours, not input)."""
    return con.execute(
        f"SELECT * FROM {identifier(table)} WHERE indicator_id = ? ORDER BY rowid", [indicator_id]
    ).fetchall()
