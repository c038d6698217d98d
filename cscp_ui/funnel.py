"""Funnel plot: every LA on one DfE indicator, the partnership and its statistical neighbours highlighted."""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from cscp_metrics import OGL_CREDIT
from cscp_metrics.disclosure import safe_for_spreadsheet
from cscp_metrics.league import rank_of
from cscp_metrics.summary import format_value

from . import data
from .charts import OKABE_ITO
from .filters import current

GROUP_STYLE = {"other LA": ("#999999", 8), "statistical neighbour": (OKABE_ITO[1], 13), "partnership": (OKABE_ITO[0], 20)}


def page() -> None:
    filters = current()
    year = filters.year
    registry = data.registry()
    ids = [i.id for i in registry.indicators.values() if i.dfe_reference and i.statistic in ("proportion", "rate")]
    if st.session_state.get("funnel_indicator") not in ids:
        st.session_state["funnel_indicator"] = "re_referral_rate" if "re_referral_rate" in ids else ids[0]
    chosen = st.selectbox("DfE indicator", ids, key="funnel_indicator", format_func=lambda i: registry.indicators[i].title)
    ind = registry.indicators[chosen]
    points, curves = data.funnel(chosen, year)
    if points.empty or curves.empty:
        st.title(f"{ind.title}: all LAs, {year}")
        st.info(f"DfE has not published {ind.title.lower()} for {year}.")
        return
    own = points[points["group"] == "partnership"]
    st.title(_finding(ind, points, own, year))
    st.plotly_chart(_figure(ind, points, curves), width="stretch", config={"displayModeBar": False})
    st.caption(f"Each dot is one LA (DfE, {year}): x = {_x_title(ind)}, "
               f"y = {ind.unit}. Lines: 95% (dashed) and 99.8% (solid) limits around England's pooled value; "
               f"dots outside them differ by more than chance. {ind.definition} {OGL_CREDIT}")
    table = points.rename(columns={"position": "funnel_position"}).sort_values("value")
    with st.expander("Table of this chart"):
        st.dataframe(table, hide_index=True, width="stretch")
    st.download_button("Download CSV of this chart", safe_for_spreadsheet(table).to_csv(index=False),
                       file_name=f"funnel_{chosen}_{year}.csv", mime="text/csv")


def _finding(ind, points, own, year: str) -> str:
    if own.empty:
        return f"{ind.title}, {year}: all LAs (the partnership's figure is not published)"
    value = float(own["value"].iloc[0])
    rank, of, _ = rank_of(points["value"], value, ind.polarity)
    order = "best" if ind.polarity != "neutral" else "highest"
    return (f"{ind.title}, {year}: {format_value(value, ind)}, {own['position'].iloc[0]} limits, "
            f"rank {rank} ({order}) of {of} LAs")


def _figure(ind, points, curves) -> go.Figure:
    fig = go.Figure()
    for tag, dash in (("95", "dash"), ("998", "solid")):
        for side in ("lower", "upper"):
            fig.add_trace(go.Scatter(x=curves["n"], y=curves[f"{side}_{tag}"], mode="lines", showlegend=side == "upper",
                                     name=f"{'95%' if tag == '95' else '99.8%'} limits",
                                     line=dict(color="#000000", dash=dash, width=1.5)))
    fig.add_trace(go.Scatter(x=curves["n"], y=curves["centre"], mode="lines", name="England pooled",
                             line=dict(color="#000000", width=1, dash="dot")))
    for group, (colour, size) in GROUP_STYLE.items():
        part = points[points["group"] == group]
        labelled = group != "other LA"
        fig.add_trace(go.Scatter(
            x=part["denominator"], y=part["value"], mode="markers+text" if labelled else "markers", name=group,
            text=part["name"] if labelled else None,
            textposition="bottom center" if group == "partnership" else "top center",
            textfont=dict(size=18 if group == "partnership" else 13, color="#000000"),
            marker=dict(color=colour, size=size, line=dict(color="#000000", width=1 if labelled else 0)),
            hovertemplate="%{text}: %{y:.1f}<extra></extra>" if labelled else "%{y:.1f}<extra></extra>"))
    fig.update_layout(height=560, xaxis_type="log", xaxis_title=_x_title(ind), yaxis_title=ind.unit,
                      font=dict(size=16), legend=dict(orientation="h", y=-0.15), margin=dict(l=10, r=10, t=10, b=10))
    return fig


def _x_title(ind) -> str:
    base = "children aged 0-17" if ind.denominator == "population" else (ind.denominator or "").replace("_", " ")
    return f"{base} (log scale)"
