"""The publish step: before a new version is published, compute what its pages show (when its inputs changed)."""
from __future__ import annotations

import sys
import time

import duckdb

from cscp_metrics.ready import stamp


def register() -> None:
    """Have every publish in this process compute the ready figures (publishing.new_version runs refresh)."""
    from cscp_metrics.store.publishing import derive_on_publish

    derive_on_publish(refresh)


def refresh(con: duckdb.DuckDBPyConnection, force: bool = False) -> dict[str, float]:
    """Recompute the ready figures unless they were computed from exactly these inputs (a refused or duplicate
    load changes none). Returns seconds per part. A failure leaves no ready rows (pages compute live) and is
    reported, never allowed to stop the data from being published."""
    inputs = stamp.inputs_stamp(con)
    if not force and stamp.current(con, "tiles"):
        return {}
    from cscp_metrics.indicators.registry import load_registry
    from cscp_metrics.ready import tiles

    timings: dict[str, float] = {}
    started = time.perf_counter()
    try:
        tiles.build(con, load_registry())
    except Exception as err:  # noqa: BLE001 - the load itself must still publish; pages fall back to live
        con.execute("DELETE FROM ready_tiles")
        con.execute("DELETE FROM ready_builds")
        print(f"warning: the ready figures were not computed ({type(err).__name__}: {err}); pages will compute "
              "them live", file=sys.stderr)
        return timings
    timings["tiles"] = time.perf_counter() - started
    con.execute("INSERT OR REPLACE INTO ready_builds VALUES ('tiles', ?, ?, now())", [inputs, timings["tiles"]])
    return timings
