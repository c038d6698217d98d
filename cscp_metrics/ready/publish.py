"""The publish step: before a new version is published, compute what its pages show (when its inputs changed).

A publish computes the parts on two cores: where to look's signals, the reconciliation (which the signals read
too) and the pages' opening drill-down charts in a second Python process reading the draft read-only, the tiles
and funnels in this one; the rows are then written into the draft. Where a second process cannot be started those
are computed here after the rest. A part that fails is recorded with its reason and pages compute it live: the
data is published whatever happens here. Which indicators a part computes again: ready/increments.py."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from cscp_metrics import council, read_memo
from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.ready import breakdowns, funnels, increments, reconciliation, signals, stamp, tiles
from cscp_metrics.store import connection as store
from cscp_metrics.store.views import NOT_COMPUTED

PARTS = ("tiles", "funnels", "signals", "reconciliation", "breakdowns")
# in one read_memo scope (the signals reconcile too); the tiles and funnels here take longer (demo: 12.7 s vs 8.6 s)
SECOND_PROCESS_PARTS = ("signals", "reconciliation", "breakdowns")
Rows = Callable[..., pd.DataFrame]  # (con) -> the part's rows; for a part kept per indicator also (con, only=ids)
Scopes = dict[str, frozenset[str] | None]  # part -> the indicators to compute again, None: the part whole
ROWS: dict[str, Rows] = {
    "tiles": tiles.rows,
    "funnels": funnels.rows,
    "signals": signals.rows,
    "reconciliation": reconciliation.rows,
    "breakdowns": breakdowns.rows,
}
Outcome = tuple[pd.DataFrame | BaseException, float]  # the rows or why not, and the seconds it took
SECOND_PROCESS: dict[str, float] = {}  # the last second process's peak memory, for `cscp bench`


def register() -> None:
    """Have every publish in this process compute the ready figures (publishing.new_version runs them)."""
    from cscp_metrics.store.publishing import derive_on_publish

    derive_on_publish(refresh_file)


def refresh(con: duckdb.DuckDBPyConnection, force: bool = False) -> dict[str, float]:
    """Recompute in this process, one after another, the parts of the ready figures not computed from exactly these
    inputs (a refused or duplicate load changes none). Returns seconds per part computed."""
    stale = _stale(con, force)
    now = increments.inputs(con)
    return rebuild(con, stale, _scopes(con, stale, now, force), now)


def rebuild(
    con: duckdb.DuckDBPyConnection,
    parts: list[str],
    scopes: Scopes | None = None,
    now: increments.Inputs | None = None,
) -> dict[str, float]:
    """Compute `parts` (whole unless `scopes` says which indicators) in this process and write them with their
    stamps (a test that changed one input does)."""
    scopes = scopes or {}
    with read_memo.scope():  # the data cannot change while they are built: each repeated read is done once
        outcomes = {part: _computed(con, part, scopes.get(part)) for part in parts}
    return _write(con, stamp.inputs_stamps(con, parts), outcomes, now or increments.inputs(con))


def _scopes(con: duckdb.DuckDBPyConnection, parts: list[str], now: increments.Inputs, force: bool) -> Scopes:
    registry = load_registry()
    return {part: None if force else increments.to_recompute(con, part, now, registry) for part in parts}


def refresh_file(draft: Path, force: bool = False) -> dict[str, float]:
    """refresh() for a draft nobody has open: the signals and reconciliation in a second process while this one
    computes the rest."""
    with store.connect(draft, read_only=True) as con:
        stale = _stale(con, force)
        store_facts = _facts(con)
    if not stale:
        stamp.write_receipt(draft, PARTS, store_facts)
        return {}
    with store.connect(draft, read_only=True) as con:
        inputs = stamp.inputs_stamps(con, stale)
        now = increments.inputs(con)
        scopes = _scopes(con, stale, now, force)
        second = [part for part in SECOND_PROCESS_PARTS if part in stale]
        pending = _in_second_process(draft, {part: scopes[part] for part in second}) if second else None
        with read_memo.scope():
            outcomes = {
                part: _computed(con, part, scopes[part]) for part in stale if part not in second or pending is None
            }
        if pending is not None:
            outcomes.update(_collected(pending, lambda: {part: _computed(con, part, scopes[part]) for part in second}))
    with store.connect(draft) as con:
        timings = _write(con, inputs, outcomes, now)
        con.execute("CHECKPOINT")  # publishing renames the file: nothing may stay behind in its .wal
    # the parts kept were current, and those just written carry the stamp of these inputs (the ready tables are not
    # among them); a part that failed is not current
    stamp.write_receipt(draft, [part for part in PARTS if part not in stale or part in timings], store_facts)
    return timings


def _facts(con: duckdb.DuckDBPyConnection) -> dict | None:
    """council.facts for the receipt; None when they cannot be computed (pages then ask the store, as before)."""
    try:
        with read_memo.scope():
            return council.facts(con)
    except Exception as err:  # noqa: BLE001 - the data is published whatever happens here
        print(f"warning: the store's facts were not computed at publish ({err}); pages will read them", file=sys.stderr)
        return None


def _stale(con: duckdb.DuckDBPyConnection, force: bool) -> list[str]:
    """The parts whose inputs changed (all with force): a load of local records leaves the funnels as they are."""
    current = set() if force else stamp.current_parts(con, PARTS)
    return [part for part in PARTS if part not in current]


def _computed(con: duckdb.DuckDBPyConnection, part: str, only: frozenset[str] | None = None) -> Outcome:
    started = time.perf_counter()
    try:
        return (ROWS[part](con) if only is None else ROWS[part](con, only=only)), time.perf_counter() - started
    except Exception as err:  # noqa: BLE001 - recorded with its reason; pages fall back to live
        return err, time.perf_counter() - started


def _in_second_process(draft: Path, parts: Scopes) -> tuple[subprocess.Popen, Path] | None:
    """A fresh interpreter (not multiprocessing: under Streamlit its spawn re-runs the app's script, whose first
    run waits for the very writer lock this publish holds). Its rows come back pickled in a file beside the draft."""
    out = draft.with_name(draft.name + ".second")
    root = str(Path(__file__).resolve().parents[2])  # this checkout, whether or not it is the installed one
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "cscp_metrics.ready.publish", str(draft), str(out), *map(_spec, parts.items())],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
    except OSError:
        return None
    return process, out


def _collected(pending: tuple[subprocess.Popen, Path], here: Callable[[], dict[str, Outcome]]) -> dict[str, Outcome]:
    process, out = pending
    try:
        _, errors = process.communicate()
        if process.returncode == 0:
            with open(out, "rb") as handle:
                found: dict[str, Outcome]
                found, SECOND_PROCESS["peak_mb"] = pickle.load(handle)  # written by our own second process just now
            return found
        print(f"the second process failed ({errors.decode(errors='replace')[-300:]}); computing here", file=sys.stderr)
    finally:
        out.unlink(missing_ok=True)
    with read_memo.scope():
        return here()


def _spec(scope: tuple[str, frozenset[str] | None]) -> str:
    """A part as the second process's argument: 'signals', or 'signals=id,id' for those indicators only."""
    part, only = scope
    return part if only is None else f"{part}={','.join(sorted(only))}"


def _parsed(spec: str) -> tuple[str, frozenset[str] | None]:
    part, _, ids = spec.partition("=")
    return part, (None if "=" not in spec else frozenset(filter(None, ids.split(","))))


def _write(
    con: duckdb.DuckDBPyConnection, inputs: dict[str, str], outcomes: dict[str, Outcome], now: increments.Inputs
) -> dict[str, float]:
    timings: dict[str, float] = {}
    for part, (found, seconds) in outcomes.items():
        increments.record(con, part, None if isinstance(found, BaseException) else now)
        if isinstance(found, BaseException):
            con.execute(f"DELETE FROM ready_{part}")
            # a stamp no inputs can have: never current, and the reason is kept where the Data page shows it
            reason = f"{NOT_COMPUTED}{type(found).__name__}: {found}"[:500]
            con.execute("INSERT OR REPLACE INTO ready_builds VALUES (?, ?, NULL, now())", [part, reason])
            print(
                f"warning: the ready {part} were not computed ({reason}); pages will compute them live", file=sys.stderr
            )
            continue
        con.execute(f"DELETE FROM ready_{part}")
        if len(found):
            con.from_df(found).insert_into(f"ready_{part}")
        timings[part] = seconds
        con.execute("INSERT OR REPLACE INTO ready_builds VALUES (?, ?, ?, now())", [part, inputs[part], seconds])
    return timings


def _own_peak_mb() -> float:
    """This process's peak memory since it started: VmHWM belongs to the memory map exec gave it, while ru_maxrss
    keeps the forking parent's peak."""
    with open("/proc/self/status") as status:
        line = next((row for row in status if row.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1]) / 1024


if __name__ == "__main__":  # the second process: python -m cscp_metrics.ready.publish DRAFT OUT PART[=IDS]...
    with store.connect(Path(sys.argv[1]), read_only=True) as _con, read_memo.scope():
        _outcome = {_part: _computed(_con, _part, _only) for _part, _only in map(_parsed, sys.argv[3:])}
    with open(sys.argv[2], "wb") as _handle:
        pickle.dump((_outcome, _own_peak_mb()), _handle)
