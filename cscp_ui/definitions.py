"""The Definitions page: every indicator of the registry, in words."""
from __future__ import annotations

import streamlit as st

from cscp_metrics.indicators.readable import definitions
from cscp_metrics.outputs.spreadsheet import safe_for_spreadsheet


def page() -> None:
    st.title("Definitions")
    st.write("Every indicator, defined once in the registry: what is counted, over what, which way is better, "
             "where it comes from and how small numbers are protected.")
    st.dataframe(safe_for_spreadsheet(definitions()), hide_index=True, width="stretch", height=700)

