"""What the ready figures were computed from: every data table's size, the settings, the registry and this code.

Every write goes through publishing.new_version, which recomputes the ready figures when the stamp changes; a
store written some other way (or before schema version 6) has no matching stamp and pages compute live."""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import duckdb

from cscp_metrics.council import FACTS
from cscp_metrics.store import years as store_years
from cscp_metrics.store.connection import DATA_TABLES, content_hash
from cscp_metrics.store.publishing import receipt_path
from cscp_metrics.store.sql_quoting import identifier, literal
from cscp_metrics.store.statements import scalar

REFERENCE = (
    "benchmarks",
    "population",
    "areas",
    "statistical_neighbours",
    "agencies",
    "priority_areas",
    "presenting_issues",
    "settings",
)  # small, and changed in place (not only by loads): hashed whole

# bump when what is computed changes shape, so older ready rows are not read (3: no "c" stored, signals unranked;
# 4: a figure DfE published is named so in its sentence, not "local case records"; 5: a stored breakdown's text
# columns are Python strings, pandas_strings.py; 6: a trend says which years are DfE's published figures; 7: and
# the tile is stored with its note saying so; 8: an SPC signal's rule in words of months or years, a rate on the
# partnership's own population base says so, reconciliation sentences in words; 9: a funnel signal's figures at
# DfE's precision, a breakdown's highest only 'of those shown' when one is hidden; 10: funnels around the pooled
# value with Wilson / exact Poisson limits, no p-value, and how many LAs DfE left without a figure; a rate's change
# and reconciliation signals on DfE's population base, as its tile; 11: no figure where the records do not reach back
# a measure's look-back, 2014-15's plans of 2 years or more; 12: a share's change counted at last year's rate, one
# change for a count whose rate is shown, age bands youngest first, the reconciliation's base in words; 13: a change
# signal's children interval in its fields)
VERSION = "13"


# What each part reads: the funnels only DfE's figures (every LA's, by year) and the registry, so a load of local
# records or returns leaves them as they are; the tiles and signals read everything.
DFE_ONLY_PARTS = ("funnels",)


def inputs_stamp(con: duckdb.DuckDBPyConnection, part: str = "") -> str:
    return inputs_stamps(con, (part,))[part]


def inputs_stamps(con: duckdb.DuckDBPyConnection, parts: Iterable[str]) -> dict[str, str]:
    """Cheap enough for every reader (40 ms on the demo, once for all parts): the reference tables' content, the
    other tables' row counts and the newest load (case records and returns change only by loads), the registry.
    For a part that reads only DfE's figures: the reference tables, the years the store shows and the registry."""
    present = present_tables(con)
    reference = reference_hash(con, present)
    found: dict[str, str] = {}
    everything: str | None = None  # the stamp of the parts that read every table, made at most once
    for part in parts:
        if part in DFE_ONLY_PARTS:
            found[part] = _digest(f"{VERSION};{part};{reference};{store_years.years(con)};")
            continue
        if everything is None:
            everything = _digest(f"{VERSION};{data_counts(con, present)};{reference};")
        found[part] = everything
    return found


def present_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def reference_hash(con: duckdb.DuckDBPyConnection, present: set[str]) -> str:
    return content_hash(con, tuple(t for t in REFERENCE if t in present))


def data_counts(con: duckdb.DuckDBPyConnection, present: set[str], leave_out: tuple[str, ...] = ()) -> str:
    """Every data table's row count and the newest load into any of them, `leave_out` left out (case records and
    returns change only by loads, so this is enough to see them change)."""
    tables = [t for t in (*DATA_TABLES, "measure_aggregates") if t in present and t not in leave_out]
    counts = con.execute(
        " UNION ALL ".join(f"SELECT {literal(t)}, count(*) FROM {identifier(t)}" for t in tables)
    ).fetchall()
    newest = (
        scalar(
            con,
            "SELECT coalesce(max(load_id), 0) FROM loads "
            "WHERE outcome = 'loaded' AND NOT list_contains(?::VARCHAR[], table_name)",
            [list(leave_out)],
        )
        if "loads" in present
        else 0
    )
    return f"{sorted(counts)};{newest}"


@functools.cache
def code_digest() -> str:
    """What every stamp shares besides the data: this code's VERSION and the registry (once per process)."""
    return _digest(f"{VERSION};")


def _digest(text: str) -> str:
    digest = hashlib.sha256(text.encode())
    for name in ("indicators.toml", "measures.toml"):
        digest.update(resources.files("cscp_metrics.indicators.registry").joinpath(name).read_bytes())
    return digest.hexdigest()


def current(con: duckdb.DuckDBPyConnection, part: str) -> bool:
    """Whether `part` of the ready figures was computed from exactly this store's inputs."""
    return part in current_parts(con, (part,))


def current_parts(con: duckdb.DuckDBPyConnection, parts: Iterable[str]) -> set[str]:
    """Those of `parts` computed from exactly this store's inputs (the inputs fingerprinted once for all)."""
    try:
        built = dict(con.execute("SELECT part, stamp FROM ready_builds").fetchall())
    except duckdb.CatalogException:  # a store published before schema version 6
        return set()
    asked = [part for part in parts if part in built]
    stamps = inputs_stamps(con, asked) if asked else {}
    return {part for part in asked if built[part] == stamps[part]}


def write_receipt(draft: Path, current: Iterable[str], store_facts: dict | None = None) -> None:
    """After the ready figures are written and the draft closed: the parts current for exactly this file (its
    inode, modification time and size, which a rename keeps) and this release, and the store's facts
    (council.facts). Readers of the published version trust it instead of fingerprinting the inputs again; any
    later write to the file changes them."""
    found = os.stat(draft)
    text = json.dumps(
        {
            "inode": found.st_ino,
            "mtime_ns": found.st_mtime_ns,
            "size": found.st_size,
            "code": code_digest(),
            "parts": sorted(current),
            "facts": store_facts,
        }
    )
    receipt_path(draft).write_text(text)


def receipt_parts(path: Path, version: tuple[int, int]) -> set[str] | None:
    """The parts current for the version `version` of the store at `path`, from its receipt; None when there is
    no receipt for exactly that file as it was published, by this release (then the caller fingerprints)."""
    receipt = _receipt(path, version)
    return None if receipt is None else set(receipt.get("parts") or [])


def receipt_facts(path: Path, version: tuple[int, int]) -> dict | None:
    """council.facts of that version, as computed when it was published; None as receipt_parts, or when the
    receipt's facts are not all of council.FACTS (then the caller computes them)."""
    found = (_receipt(path, version) or {}).get("facts")
    return found if isinstance(found, dict) and set(FACTS) <= found.keys() else None


def _receipt(path: Path, version: tuple[int, int]) -> dict | None:
    try:
        receipt = json.loads(receipt_path(path).read_text())
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    if not isinstance(receipt, dict) or Path(str(path) + ".wal").exists():  # written since, without a checkpoint
        return None
    published = (receipt.get("inode"), receipt.get("mtime_ns"), receipt.get("size"))
    if published != (found.st_ino, found.st_mtime_ns, found.st_size) or version != published[:2]:
        return None
    if receipt.get("code") != code_digest():  # computed by another release (registry, disclosure rules, VERSION)
        return None
    return receipt
