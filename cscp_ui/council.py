"""What the store says about its council, cached per published version: name, years, comparators."""
from __future__ import annotations

import streamlit as st

from cscp_metrics import council, store_years

from . import data


@st.cache_data(show_spinner=False)
def name() -> str:
    return council.own_name(data.cursor())


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
