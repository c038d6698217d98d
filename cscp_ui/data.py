"""One DuckDB connection per process (read-only), a cursor per call, results cached on the filters."""

from __future__ import annotations

import atexit
import functools
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import duckdb
import pandas as pd
import streamlit as st

from cscp_metrics import read_memo
from cscp_metrics.indicators import summary
from cscp_metrics.indicators.periods import parse_period
from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.ready import publish as ready_publish
from cscp_metrics.store import connection as store
from cscp_metrics.store.statements import scalar

from .version_memo import VersionMemo

if TYPE_CHECKING:
    from cscp_metrics.records.challenges import Status

ready_publish.register()  # uploads and the first run's demo build publish with their ready figures


@st.cache_resource(show_spinner="Building the demo partnership's store (first run only)…")
def _ensure_store(path: str) -> None:
    """The first run on a fresh machine builds the demo store; a lock makes other processes wait for it."""
    from cscp_metrics.store.publishing import new_version, writer_lock

    target = store.resolve_db_path(path)
    with writer_lock(target):
        if target.exists():
            return
    from cscp_metrics.demo.build import build

    with new_version(target, create=True) as con:
        if not scalar(con, "SELECT count(*) FROM settings"):
            build(con)
    from cscp_metrics.records import workspace
    from cscp_metrics.records.assurance_demo import seed_beside

    # the demo's risk register, audits, actions and return schedule, beside its store
    with workspace.opened(target) as records, store.connect(target, read_only=True) as con:
        seed_beside(records, con)


class _Republished(Exception):
    """A new version was published while a connection was being opened."""


_OPEN: dict[tuple[str, tuple[int, int]], duckdb.DuckDBPyConnection] = {}  # (path, version) -> its read-only connection
_OPENING = threading.Lock()
_RETIRED: queue.SimpleQueue = queue.SimpleQueue()  # connections of older versions, let go off the page's thread


def _let_go() -> None:
    """Dropping the last reference to an old version's connection frees its database (about 20 ms on the London
    bench): done here, not on the thread drawing a page. A session still reading that version holds its own
    cursor, which keeps the database open until it has finished."""
    while True:
        retired = _RETIRED.get()
        del retired


threading.Thread(target=_let_go, name="cscp-retired-connections", daemon=True).start()


@atexit.register
def _close_kept() -> None:
    """A connection still open when the interpreter tears down makes DuckDB abort the process on its way out
    ("terminate called after throwing an instance of ''"): the kept ones are closed first."""
    with _OPENING:
        for con in _OPEN.values():
            con.close()
        _OPEN.clear()
    while not _RETIRED.empty():  # older versions not yet let go
        _RETIRED.get_nowait().close()


def _connection(path: str, version: tuple[int, int]):
    """One read-only connection per published version, kept with the one before it (two in all); older ones are let
    go.
    Opened between two looks at the file that agree, so it holds exactly `version`, never the next one."""
    from cscp_metrics.store.publishing import open_reader, version_of

    with _OPENING:
        if (path, version) in _OPEN:
            return _OPEN[(path, version)]
        con = open_reader(path)
        if version_of(path) != version:
            con.close()
            raise _Republished  # not kept: the caller looks again
        _OPEN[(path, version)] = con
        for key in list(_OPEN)[:-2]:  # two in all, as one store's version and the one before it
            _RETIRED.put(_OPEN.pop(key))
        return con


@dataclass(frozen=True)
class Reading:
    """A cursor on one published version; cached figures are keyed by the version, so a figure computed from
    an old version can never answer for a new one, whichever session cleared the cache in between."""

    path: str
    version: tuple[int, int]
    connection: duckdb.DuckDBPyConnection = field(compare=False, repr=False)
    reads: read_memo.VersionReads = field(default_factory=read_memo.VersionReads, compare=False, repr=False)
    threads: threading.local = field(default_factory=threading.local, compare=False, repr=False)

    def key(self) -> tuple[str, tuple[int, int]]:
        return self.path, self.version

    @property
    def cursor(self):
        """A cursor for this thread, made when a figure is first not in the cache and kept for the thread's other
        figures (a script run is a thread of its own; a cursor costs 0.3-0.5 ms to make)."""
        from cscp_metrics.store.publishing import reader_cursor

        made = getattr(self.threads, "cursor", None)
        if made is None:
            made = self.threads.cursor = reader_cursor(self.connection)
        return made


_SEEN: dict[str, tuple[int, int]] = {}
_BY_VERSION: list[Callable[[], None]] = []  # the clear() of every cache keyed by the store version
_CURRENT: dict[str, Reading] = {}  # the last Reading handed out per store: a rerun's many reads cost a stat each


def reading() -> Reading:
    """Called on every rerun (an os.stat): the version published now, with a cursor on exactly that version."""
    from cscp_metrics.store.publishing import version_of

    path = str(store.resolve_db_path())
    known = _CURRENT.get(path)
    if known is not None and _SEEN.get(path) == known.version == version_of(path):
        return known
    _ensure_store(path)
    for _ in range(20):
        version = version_of(path)
        if version is None:
            st.error(
                f"There is no store at {path}. Build the demo partnership with `cscp demo`, or load data "
                "with `cscp load --create`."
            )
            st.stop()
        try:
            con = _connection(path, version)
        except _Republished:
            continue
        if _SEEN.get(path) not in (None, version):
            for clear in _BY_VERSION:  # frees the old version's figures; the version in every key keeps them apart
                clear()
        _SEEN[path] = version
        _CURRENT.clear()  # one store at a time (tests switch stores): an older Reading would keep its connection
        _CURRENT[path] = Reading(path, version, con)
        return _CURRENT[path]
    raise RuntimeError(f"{path} was republished 20 times while this page opened it")


def watch_store() -> tuple[str, tuple[int, int]]:
    current = reading()
    return current.path, current.version


def cursor():
    return reading().cursor


def by_store_version(copied: bool = True, **cache_options):
    """st.cache_data keyed by the store version as well as the arguments; the function gets the Reading first.
    A computation remembers its repeated reads (read_memo) with every other of the same version: one version cannot
    change under it. With
    copied=False the result is kept in a VersionMemo and handed out as it is: for results nobody changes."""

    def wrap(compute):
        @functools.wraps(compute)
        def remembering(at: Reading, *args):
            with read_memo.scope(at.reads):  # the version's council, years and DfE rows: read once for all
                return compute(at, *args)

        if not copied:
            memo: VersionMemo = VersionMemo(cache_options.get("max_entries") or 512)

            @functools.wraps(compute)
            def shared(*args):
                at = reading()
                return memo.get((at.key(), args), lambda: remembering(at, *args))

            shared.clear = memo.clear
            _BY_VERSION.append(memo.clear)
            return shared

        cached = st.cache_data(hash_funcs={Reading: Reading.key}, **cache_options)(remembering)

        @functools.wraps(compute)
        def call(*args):
            return cached(reading(), *args)

        call.clear = cached.clear
        _BY_VERSION.append(cached.clear)
        return call

    return wrap


def ready(part: str) -> bool:
    """Whether this version's ready figures (computed when it was published) were computed from its inputs."""
    return part in _ready_parts()


@by_store_version(copied=False)
def _ready_parts(at: Reading) -> set[str]:
    from pathlib import Path

    from cscp_metrics.ready import stamp

    published = stamp.receipt_parts(Path(at.path), at.version)  # a file read, where fingerprinting is ~20 ms
    return published if published is not None else stamp.current_parts(at.cursor, ready_publish.PARTS)


def tile(indicator_id: str, period: str, comparator: str, public: bool) -> summary.Tile:
    """The tile computed when this version was published; computed live for a store without one."""
    return tiles((indicator_id,), period, comparator, public)[0]


@by_store_version(copied=False)
def tiles(at: Reading, indicator_ids: tuple[str, ...], period: str, comparator: str, public: bool) -> list:
    """A page's tiles, read in one query (summary.Tile each, in the order asked)."""
    found = {}
    if ready("tiles"):
        from cscp_metrics.ready import tiles as ready_tiles

        found = ready_tiles.read_many(at.cursor, indicator_ids, period, comparator, public)
    return [found.get(i) or summary.tile(at.cursor, i, period, comparator, public) for i in indicator_ids]


@by_store_version(copied=False)
def breakdown(
    at: Reading, indicator_id: str, period: str, dimension: str, where: tuple[tuple[str, str], ...], public: bool
) -> pd.DataFrame:
    found = None
    if not where and ready("breakdowns"):  # the chart a page opens with, computed at publish
        from cscp_metrics.ready import breakdowns

        found = breakdowns.read(at.cursor, indicator_id, period, dimension, public)
    return (
        found
        if found is not None
        else summary.breakdown(at.cursor, indicator_id, period, dimension, dict(where), public)
    )


@by_store_version(show_spinner=False)
def table(at: Reading, sql_name: str) -> pd.DataFrame:
    from cscp_metrics.store import views as store_views

    return store_views.VIEWS[sql_name](at.cursor)


def registry():
    return load_registry()


@by_store_version(copied=False)
def computed_at_publish(at: Reading) -> list[str]:
    """The years whose signals and reconciliation were computed when this version was published, from its receipt:
    asking the store would be the first read of its aggregates on a version just published (5-6 ms, London bench)."""
    from cscp_metrics.ready.signals import periods_of

    from . import council  # imports this module

    del at  # in the key: the council's facts below are this version's
    return periods_of(council.years(), council.default_year())


def signals(period: str, public: bool) -> list:
    """Where to look's signals of a year: as stored at publish, kept as they are (frozen, in a list nobody changes);
    else computed live (about 5 s) under a spinner, once for every session (st.cache_data makes the others wait)."""
    if ready("signals") and period in computed_at_publish():
        return _stored_signals(period, public)
    return _live_signals(period, public)


def reconciliation(period: str) -> pd.DataFrame:
    """As signals(): the stored rows kept as they are (the page only reads the frame), a live reconciliation once."""
    if ready("reconciliation") and period in computed_at_publish():
        return _stored_reconciliation(period)
    return _live_reconciliation(period)


def _find_signals(at: Reading, period: str, public: bool) -> list:
    from cscp_metrics.ready.signals import find

    return find(at.cursor, period, public=public, stored_is_current=ready("signals"))


def _find_reconciliation(at: Reading, period: str) -> pd.DataFrame:
    from cscp_metrics.ready.reconciliation import find

    return find(at.cursor, period, stored_is_current=ready("reconciliation"), computed=computed_at_publish())


_stored_signals = by_store_version(copied=False)(_find_signals)
_live_signals = by_store_version(
    show_spinner="Checking every indicator against its comparators, its past and all LAs…"
)(_find_signals)
_stored_reconciliation = by_store_version(copied=False)(_find_reconciliation)
_live_reconciliation = by_store_version(show_spinner=False)(_find_reconciliation)


@by_store_version(show_spinner=False)
def funnel(at: Reading, indicator_id: str, period: str, public: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The funnel computed when this version was published (computed live for a store without one); in the public
    view an LA's count or denominator of 1-5, and every figure of its row, is c."""
    from cscp_metrics.scrutiny import league

    ind = registry().indicators[indicator_id]
    found = None
    if ready("funnels"):
        from cscp_metrics.ready import funnels

        found = funnels.read(at.cursor, indicator_id, period)
    points, curves = found if found is not None else league.funnel_frame(at.cursor, ind, period)
    return (league.public_points(points, ind) if public else points), curves


@st.cache_data(show_spinner=False, ttl=600)
def _challenge_log(log: str, version: tuple[int, ...]) -> list | None:
    """Challenges are written by other sessions and processes too: keyed on the log file's version (a stat, so a
    rerun opens nothing). None when the log stayed busy (held by a writer in another process) for a few seconds."""
    from cscp_metrics.records import challenges

    del version
    try:
        with challenges.reading(store.resolve_db_path(), wait_s=3) as opened_log:
            return challenges.meeting_list(opened_log)
    except challenges.LogBusy:
        return None


def challenge_list(period: str, quiet: bool = False) -> list:
    from cscp_metrics.records import challenges
    from cscp_metrics.records.duckdb_file import file_version

    log = challenges.log_path(store.resolve_db_path())
    everything = _challenge_log(str(log), file_version(log))
    if everything is None:
        _challenge_log.clear()  # busy is not an answer to keep
        if not quiet:
            st.warning(
                "The challenge log is busy (another process is writing to it); the list will show on the next refresh."
            )
    return challenges.for_meeting(everything or [], period)


def record_challenge(new) -> int:
    """Raises challenges.LogBusy, with a message to show, when the log stayed busy."""
    from cscp_metrics.records import challenges

    with challenges.opened(store.resolve_db_path()) as log:
        challenge_id = challenges.raise_challenge(log, new)
    _challenge_log.clear()
    return challenge_id


def update_challenge(challenge_id: int, status: Status, response: str | None) -> None:
    from cscp_metrics.records import challenges

    with challenges.opened(store.resolve_db_path()) as log:
        challenges.update(log, challenge_id, status, response)
    _challenge_log.clear()


def challenges_by_indicator(period: str, quiet: bool = True) -> dict[str, list[str]]:
    """Questions shown with each indicator: open ones carried forward, and this period's."""
    year = parse_period(period).fy_label
    shown: dict[str, list[str]] = {}
    for challenge in challenge_list(year, quiet=quiet):
        if challenge.shown_in(year):
            shown.setdefault(challenge.indicator_id, []).append(challenge.line)
    return shown


def published_at() -> str:
    """When the version this process serves was published (the store file's modification time)."""
    from datetime import datetime

    _, (_, mtime_ns) = watch_store()
    return datetime.fromtimestamp(mtime_ns / 1e9).strftime("%Y-%m-%d %H:%M:%S")
