"""The Data page: the store's loads, each agency's last return, uploads and return status for members."""

from __future__ import annotations

import streamlit as st

from cscp_metrics import OGL_CREDIT
from cscp_metrics.outputs.spreadsheet import safe_for_spreadsheet
from cscp_metrics.store.views import agencies_shown, latest_load_line, loads_shown, ready_line
from cscp_ui import auth, board_papers, data, projector, returns_panel, slides, upload


def page() -> None:
    if projector.deck("Data", slides.data_slides(), lambda slide: slide):
        return
    st.title("Data")
    who = auth.visitor()
    if not who.login_available:
        st.info(
            "Login is not configured (no [auth] section in .streamlit/secrets.toml), so this app is public-only: "
            "small numbers are hidden for everyone and nobody can upload returns here."
        )
    upload.panel(who)
    returns_panel.panel(who)
    board_papers.panel(who)
    st.text(f"Store version published {data.published_at()}; this page reads it read-only.")
    loads = data.table("loads")
    st.text(latest_load_line(loads))
    st.text(ready_line(data.table("ready")))
    st.header("Every load, newest first")
    st.dataframe(safe_for_spreadsheet(loads_shown(loads, public=not who.partnership)), hide_index=True, width="stretch")
    st.header("Last return from each agency")
    st.dataframe(safe_for_spreadsheet(agencies_shown(data.table("agencies"))), hide_index=True, width="stretch")
    upload.templates_section()
    st.caption(
        "Benchmarks: DfE 'Characteristics of children in need' and 'Children looked after in England', "
        "ONS mid-year population estimates. " + OGL_CREDIT
    )
