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
    st.dataframe(
        safe_for_spreadsheet(rows),
        hide_index=True,
        width="stretch",
        height=700,
        column_config={  # the name stays in view while a wide row is scrolled sideways
            "Indicator": st.column_config.TextColumn(pinned=True, width="medium"),
            "Definition": st.column_config.TextColumn(width="large"),
        },
    )
    # a cell shows the start of a long definition: one indicator's row in full, with nothing to hover over
    chosen = st.selectbox(
        "One indicator's definition in full",
        list(rows.index),
        index=None,
        format_func=lambda i: rows.at[i, "Indicator"],
        placeholder="Choose an indicator",
        key="definition_shown",
    )
    if chosen is not None:
        row = rows.loc[chosen]
        with st.container(border=True):
            st.subheader(row["Indicator"], anchor=False)
            st.text("\n".join(f"{column}: {row[column]}" for column in rows.columns if column != "Indicator"))
