"""One DuckDB connection per process (read-only), a cursor per call, results cached on the filters."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cscp_metrics import store, summary
from cscp_metrics.registry import load_registry


@st.cache_resource(show_spinner="Building the demo partnership's store (first run only)…")
def _ensure_store(path: str) -> None:
    """The first run on a fresh machine builds the demo store; a lock makes other processes wait for it."""
    from cscp_metrics.publishing import new_version, writer_lock

    target = store.resolve_db_path(path)
    with writer_lock(target):
        if target.exists():
            return
    from cscp_metrics.demo.build import build

    with new_version(target) as con:
        if not con.execute("SELECT count(*) FROM settings").fetchone()[0]:
            build(con)


@st.cache_resource(max_entries=2)
def _connection(path: str, version: tuple[int, int]):
    """One read-only connection per published version; the previous one is dropped when a new one appears."""
    from cscp_metrics.publishing import open_reader

    return open_reader(path)


_SEEN: dict[str, tuple[int, int]] = {}


def watch_store() -> tuple[str, tuple[int, int]]:
    """Called on every rerun (an os.stat): a newly published version clears the cached figures."""
    from cscp_metrics.publishing import version_of

    path = str(store.resolve_db_path())
    _ensure_store(path)
    version = version_of(path)
    if _SEEN.get(path) not in (None, version):
        st.cache_data.clear()  # a load published a new version: every cached figure may have changed
    _SEEN[path] = version
    return path, version


def cursor():
    from cscp_metrics.publishing import reader_cursor

    return reader_cursor(_connection(*watch_store()))


@st.cache_data(show_spinner=False)
def tile(indicator_id: str, period: str, comparator: str, public: bool) -> summary.Tile:
    return summary.tile(cursor(), indicator_id, period, comparator, public)


@st.cache_data(show_spinner=False)
def breakdown(indicator_id: str, period: str, dimension: str, where: tuple[tuple[str, str], ...], public: bool) -> pd.DataFrame:
    return summary.breakdown(cursor(), indicator_id, period, dimension, dict(where), public)


@st.cache_data(show_spinner=False)
def table(sql_name: str) -> pd.DataFrame:
    from cscp_metrics import store_views

    return store_views.VIEWS[sql_name](cursor())


def registry():
    return load_registry()


def is_demo() -> bool:
    return table("settings").set_index("key").get("value", pd.Series()).get("demo") == "true"


@st.cache_data(show_spinner="Checking every indicator against its comparators, its past and all LAs…")
def signals(period: str, public: bool) -> list:
    from cscp_metrics.where_to_look import find

    return find(cursor(), period, public=public)


@st.cache_data(show_spinner=False)
def reconciliation(period: str) -> pd.DataFrame:
    from cscp_metrics.reconciliation import reconcile

    return reconcile(cursor(), period)


@st.cache_data(show_spinner=False)
def funnel(indicator_id: str, period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    from cscp_metrics import league

    return league.funnel_frame(cursor(), registry().indicators[indicator_id], period)


@st.cache_data(show_spinner=False, ttl=10)
def challenge_list(period: str) -> list:
    """Challenges are written by other sessions and processes too: a short cache, cleared on our own writes."""
    from cscp_metrics import challenges

    with challenges.opened(store.resolve_db_path()) as log:
        return challenges.meeting_list(log, period)


def record_challenge(new) -> int:
    from cscp_metrics import challenges

    with challenges.opened(store.resolve_db_path()) as log:
        challenge_id = challenges.raise_challenge(log, new)
    challenge_list.clear()
    return challenge_id


def update_challenge(challenge_id: int, status: str, response: str | None) -> None:
    from cscp_metrics import challenges

    with challenges.opened(store.resolve_db_path()) as log:
        challenges.update(log, challenge_id, status, response)
    challenge_list.clear()


def challenges_for(indicator_id: str, period: str) -> list[str]:
    """Questions shown on an indicator's tile: open ones carried forward, and this period's."""
    year = period[:7]
    return [c.line for c in challenge_list(year) if c.indicator_id == indicator_id and c.shown_in(year)]


def published_at() -> str:
    """When the version this process serves was published (the store file's modification time)."""
    from datetime import datetime

    _, (_, mtime_ns) = watch_store()
    return datetime.fromtimestamp(mtime_ns / 1e9).strftime("%Y-%m-%d %H:%M:%S")
