"""What the store says about its council, cached per published version: name, years, comparators."""
from __future__ import annotations

import streamlit as st

from cscp_metrics import areas, council, no_data, store_years

from . import data


@st.cache_data(show_spinner=False)
def name() -> str:
    return areas.partnership_name(data.cursor())


@st.cache_data(show_spinner=False)
def years() -> list[str]:
    return store_years.years(data.cursor())


@st.cache_data(show_spinner=False)
def default_year() -> str:
    return store_years.default_year(data.cursor()) or "2024-25"


@st.cache_data(show_spinner=False)
def local_years() -> list[str]:
    return store_years.local_years(data.cursor())


@st.cache_data(show_spinner=False)
def comparators() -> dict[str, str]:
    return council.comparators(data.cursor())


@st.cache_data(show_spinner=False)
def no_data_reason(indicator_id: str, period: str) -> str:
    return no_data.reason(data.cursor(), data.registry().indicators[indicator_id], period)


@st.cache_data(show_spinner=False)
def page_gap(indicator_ids: tuple[str, ...], period: str) -> str:
    indicators = [data.registry().indicators[i] for i in indicator_ids]
    return no_data.page_gap(data.cursor(), indicators, period)


@st.cache_data(show_spinner=False)
def caption() -> str:
    """The council in one line, for stores that are not the synthetic demo."""
    return council.caption(data.cursor())
