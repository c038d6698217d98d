"""The Definitions page: every indicator of the registry, in words."""

from __future__ import annotations

import streamlit as st

from cscp_metrics.indicators.readable import definitions
from cscp_metrics.outputs.spreadsheet import safe_for_spreadsheet

from . import projector, slides


def page() -> None:
    rows = definitions()
    if projector.deck("Definitions", list(range(len(rows))), lambda i: slides.definition_slide(rows.iloc[i])):
        return
    st.title("Definitions")
    st.write(
        "Every indicator, defined once in the registry: what is counted, over what, which way is better, "
        "where it comes from and how small numbers are protected."
    )
    st.dataframe(safe_for_spreadsheet(rows), hide_index=True, width="stretch", height=700)
