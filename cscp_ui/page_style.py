"""Styles every page carries, for WCAG 2.2 AA where Streamlit's defaults fall short."""

from __future__ import annotations

import streamlit as st

# 2.4.7/2.4.13: a focus ring of 3 px in near-black on whatever is focused (Streamlit's sidebar links show a 1.11:1
# tint, its buttons a 2.15:1 ring); 1.4.10: a tile title wraps instead of ending in "…" on a narrow screen.
CSS = """<style>
a:focus-visible, button:focus-visible, summary:focus-visible, input:focus-visible, textarea:focus-visible,
[role="button"]:focus-visible, [role="tab"]:focus-visible, [role="radio"]:focus-visible,
[role="checkbox"]:focus-visible, [role="switch"]:focus-visible, [tabindex]:focus-visible {
  outline: 3px solid #1A1A1A !important; outline-offset: 2px !important; box-shadow: 0 0 0 2px #FFFFFF !important;}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;}
.tile-trend {display: block; margin: 0.2rem 0;}
</style>"""


def apply() -> None:
    st.html(CSS)  # static CSS only: nothing from data
