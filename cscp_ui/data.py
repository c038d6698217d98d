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
