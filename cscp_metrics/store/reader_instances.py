"""In-memory DuckDB instances made ahead of need, for readers of newly published versions.

Making an instance costs 11-20 ms on this 2-core machine (setting up the ICU, JSON and parquet extensions DuckDB
links in), about five times what attaching a published file to it costs. The first page view after a publish
would pay it on the page's thread; instead a reader takes an instance made earlier, and the next one is made on a
background thread a moment later: made at once, it held Python's GIL for part of that time while the page that took
the last one was drawing (Where to look's first view after a publish, London bench: 31 -> 25.5 ms)."""

from __future__ import annotations

import atexit
import threading

import duckdb

_SPARE: dict[str, duckdb.DuckDBPyConnection] = {}  # memory limit -> an instance nobody has used
_GUARD = threading.Lock()
_MAKING: set[str] = set()
_MAKERS: list[threading.Thread] = []
SPARE_AFTER_S = 0.25  # after the first view of a new version has drawn (25-50 ms)
_CLOSED = threading.Event()  # the interpreter is on its way out: no more spares


def _make(memory_limit: str) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(":memory:", config={"memory_limit": memory_limit})


def _make_spare(memory_limit: str) -> None:
    made = None
    try:
        made = _make(memory_limit)
    finally:
        with _GUARD:
            _MAKING.discard(memory_limit)
            if made is not None and (_CLOSED.is_set() or memory_limit in _SPARE):  # too late, or two makers raced
                made.close()
            elif made is not None:
                _SPARE[memory_limit] = made


def fresh_instance(memory_limit: str) -> duckdb.DuckDBPyConnection:
    """A new private in-memory instance with this memory limit, nothing attached; the next is made behind it."""
    with _GUARD:
        found = _SPARE.pop(memory_limit, None)
        start = memory_limit not in _MAKING and not _CLOSED.is_set()
        if start:
            _MAKING.add(memory_limit)
            maker = threading.Timer(SPARE_AFTER_S, _make_spare, args=(memory_limit,))
            maker.name, maker.daemon = "cscp-spare-reader", True
            _MAKERS[:] = [m for m in _MAKERS if m.is_alive()] + [maker]
            maker.start()
    return found if found is not None else _make(memory_limit)


@atexit.register
def _close_spares() -> None:
    """An instance still open, or still being made, when the interpreter tears down makes DuckDB abort the process
    ("terminate called after throwing an instance of ''"): each is finished and closed first, and none made after."""
    _CLOSED.set()
    with _GUARD:
        makers = list(_MAKERS)
    for maker in makers:
        if isinstance(maker, threading.Timer):
            maker.cancel()  # not started yet: never will be
        maker.join(timeout=10)
    with _GUARD:
        for spare in _SPARE.values():
            spare.close()
        _SPARE.clear()
