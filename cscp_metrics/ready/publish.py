"""The publish step: before a new version is published, compute what its pages show (when its inputs changed)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import duckdb

from cscp_metrics.indicators.registry import Registry
from cscp_metrics.ready import stamp
from cscp_metrics.store.views import NOT_COMPUTED


def register() -> None:
    """Have every publish in this process compute the ready figures (publishing.new_version runs refresh)."""
    from cscp_metrics.store.publishing import derive_on_publish

    derive_on_publish(refresh)


PARTS = ("tiles", "funnels", "signals")  # signals after funnels: their funnel checks read the ready funnels


def refresh(con: duckdb.DuckDBPyConnection, force: bool = False) -> dict[str, float]:
    """Recompute the ready figures unless they were computed from exactly these inputs (a refused or duplicate
    load changes none). Returns seconds per part. A part that fails leaves no rows (pages compute it live) and is
    reported, never allowed to stop the data from being published."""
    inputs = stamp.inputs_stamp(con)
    if not force and all(stamp.current(con, part) for part in PARTS):
        return {}
    from cscp_metrics import read_memo
    from cscp_metrics.ready import funnels, signals, tiles

    builders = {"tiles": tiles.build, "funnels": funnels.build, "signals": signals.build}
    timings: dict[str, float] = {}
    with read_memo.scope():  # the data cannot change while they are built: each repeated read is done once
        for part in PARTS:
            _build(con, part, builders[part], inputs, timings)
    return timings


def _build(
    con: duckdb.DuckDBPyConnection,
    part: str,
    builder: Callable[[duckdb.DuckDBPyConnection, Registry], int],
    inputs: str,
    timings: dict[str, float],
) -> None:
    from cscp_metrics.indicators.registry import load_registry

    started = time.perf_counter()
    try:
        builder(con, load_registry())
    except Exception as err:  # noqa: BLE001 - the load itself must still publish; pages fall back to live
        con.execute(f"DELETE FROM ready_{part}")
        # a stamp no inputs can have: never current, and the reason is kept where the Data page shows it
        con.execute(
            "INSERT OR REPLACE INTO ready_builds VALUES (?, ?, NULL, now())",
            [part, f"{NOT_COMPUTED}{type(err).__name__}: {err}"[:500]],
        )
        print(
            f"warning: the ready {part} were not computed ({type(err).__name__}: {err}); pages will compute them live",
            file=sys.stderr,
        )
        return
    timings[part] = time.perf_counter() - started
    con.execute("INSERT OR REPLACE INTO ready_builds VALUES (?, ?, ?, now())", [part, inputs, timings[part]])
