"""What the store says about its council, cached per store and published version: name, years, comparators."""

from __future__ import annotations

import streamlit as st

from cscp_metrics import council
from cscp_metrics.indicators import areas, no_data
from cscp_metrics.store import years as store_years

from . import data


def _store() -> tuple[str, tuple[int, int]]:
    """The cache key: a process may serve another store (tests do), and a new version may change the council."""
    return data.watch_store()


@st.cache_data(show_spinner=False)
def _facts(store: tuple[str, tuple[int, int]]) -> dict:
    con = data.cursor()
    return {
        "name": areas.partnership_name(con),
        "years": store_years.years(con),
        "default_year": store_years.default_year(con) or "2024-25",
        "local_years": store_years.local_years(con),
        "comparators": council.comparators(con),
        "caption": council.caption(con),
    }


def name() -> str:
    return _facts(_store())["name"]


def years() -> list[str]:
    return _facts(_store())["years"]


def default_year() -> str:
    return _facts(_store())["default_year"]


def local_years() -> list[str]:
    return _facts(_store())["local_years"]


def comparators() -> dict[str, str]:
    return _facts(_store())["comparators"]


def caption() -> str:
    """The council in one line, for stores that are not the synthetic demo."""
    return _facts(_store())["caption"]


@st.cache_data(show_spinner=False)
def _no_data_reason(store: tuple[str, tuple[int, int]], indicator_id: str, period: str) -> str:
    return no_data.reason(data.cursor(), data.registry().indicators[indicator_id], period)


def no_data_reason(indicator_id: str, period: str) -> str:
    return _no_data_reason(_store(), indicator_id, period)


@st.cache_data(show_spinner=False)
def _page_gap(store: tuple[str, tuple[int, int]], indicator_ids: tuple[str, ...], period: str) -> str:
    return no_data.page_gap(data.cursor(), [data.registry().indicators[i] for i in indicator_ids], period)


def page_gap(indicator_ids: tuple[str, ...], period: str) -> str:
    return _page_gap(_store(), indicator_ids, period)
