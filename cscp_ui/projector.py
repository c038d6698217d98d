"""Projector mode: one indicator per screen, large type, high contrast, next/previous by buttons and arrow keys."""
from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from cscp_metrics.indicators.summary import format_value

from . import council, data
from .filters import Filters
from .tiles import has_figure

CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none;}
.block-container {max-width: 100%; padding: 1.5rem 3rem;}
html, body, [data-testid="stMarkdownContainer"] p, [data-testid="stText"] {font-size: 26px !important; color: #000;}
.present-value {font-size: 120px; font-weight: 800; line-height: 1.05; color: #000;}
.present-title {font-size: 44px; font-weight: 700; color: #000;}
.present-finding {font-size: 34px; color: #000;}
.stButton button {font-size: 26px !important; padding: 0.4rem 1.4rem;}
</style>
"""
KEYS_JS = """
<script>
const doc = window.parent.document;
if (!doc.__cscpKeys) {
  doc.__cscpKeys = true;
  doc.addEventListener('keydown', (e) => {
    const want = e.key === 'ArrowRight' ? 'Next' : e.key === 'ArrowLeft' ? 'Previous' : null;
    if (!want) return;
    const button = Array.from(doc.querySelectorAll('button')).find(b => b.innerText.trim().startsWith(want));
    if (button) { button.click(); e.preventDefault(); }
  });
}
</script>
"""


def _move(step: int, count: int) -> None:
    st.session_state["slide"] = str((int(st.session_state.get("slide", "0")) + step) % count)


def render(indicator_ids: list[str], filters: Filters, title: str) -> None:
    st.markdown(CSS, unsafe_allow_html=True)  # static CSS only: no data is ever rendered as HTML
    count = len(indicator_ids)
    index = min(int(st.session_state.get("slide", "0")), count - 1)
    tile = data.tile(indicator_ids[index], filters.period, filters.comparator, filters.public)
    ind = tile.indicator
    left, mid, right = st.columns([2, 5, 2])
    left.button("Previous ◀", on_click=_move, args=(-1, count), key="present_prev")
    right.button("Next ▶", on_click=_move, args=(1, count), key="present_next")
    mid.caption(f"{title} · {index + 1} of {count} · {filters.period} · ← → keys move between screens")
    st.markdown(f'<div class="present-title">{_escape(ind.title)}</div>', unsafe_allow_html=True)
    shown = has_figure(tile)
    value, finding = (tile.value_text, tile.sentence) if shown else ("no data", council.no_data_reason(ind.id, tile.period))
    st.markdown(f'<div class="present-value">{_escape(value)}</div>', unsafe_allow_html=True)
    st.markdown(f'<div class="present-finding">{_escape(finding)}</div>', unsafe_allow_html=True)
    if tile.comparator_value is not None:
        st.text(f"{tile.comparator}: {format_value(tile.comparator_value, ind)}   Result: {tile.significance}   Variation: {tile.spc}")
        if tile.own_base_note:
            st.caption(f"Big number: {tile.basis}, as for {tile.comparator} ({format_value(tile.comparator_value, ind)}). "
                       f"{tile.own_base_note}.")
    else:
        st.text(f"Variation: {tile.spc}")
    trend = tile.trend.copy()
    trend["value"] = trend["value"].where(trend["value"] != "c")
    if trend["value"].notna().sum() > 1:
        import plotly.express as px

        fig = px.line(trend, x="period", y="value", markers=True, text=trend["value"].map(lambda v: format_value(v, ind)))
        fig.update_traces(line=dict(width=5, color="#0072B2"), marker=dict(size=14), textposition="top center", cliponaxis=False,
                          textfont=dict(size=24))
        fig.update_layout(height=420, font=dict(size=24), yaxis_title=ind.unit, xaxis_title=None,
                          margin=dict(l=10, r=10, t=60, b=10))
        st.plotly_chart(fig, width="stretch", config={"displayModeBar": False})
    st.caption(ind.definition)
    components.html(KEYS_JS, height=0)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
