"""One DuckDB connection per process (read-only), a cursor per call, results cached on the filters."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cscp_metrics import store, summary
from cscp_metrics.registry import load_registry


@st.cache_resource
def _connection(path: str):
    if not store.resolve_db_path(path).exists():
        from cscp_metrics.demo.build import build

        tmp = store.resolve_db_path(path).with_suffix(".building")
        tmp.unlink(missing_ok=True)
        con = store.connect(tmp)
        build(con)
        con.close()
        tmp.replace(path)
    return store.connect(path, read_only=True)


def cursor():
    return _connection(str(store.resolve_db_path())).cursor()


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
    return [f"#{c.challenge_id} {c.status}: {c.question} ({c.owner_agency})" for c in challenge_list(year)
            if c.indicator_id == indicator_id and (c.period == year or (c.status != "closed" and c.period <= year))]
