"""Funnel plot: every LA on one DfE indicator, the partnership and its statistical neighbours highlighted."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cscp_metrics import OGL_CREDIT
from cscp_metrics.scrutiny import league
from cscp_metrics.outputs.spreadsheet import safe_for_spreadsheet

from . import council, data
from .charts import OKABE_ITO
from .filters import current

GROUP_STYLE = {"other LA": ("#999999", 8), "statistical neighbour": (OKABE_ITO[1], 13), "partnership": (OKABE_ITO[0], 20)}


def page() -> None:
    filters = current()
    year = filters.year
    registry = data.registry()
    offered = league.funnel_indicators(data.cursor(), registry, year)
    if not offered:
        st.title(f"All LAs, {year}")
        st.info(f"DfE has published no proportion or rate for every LA for {year}.")
        return
    ids = [i.id for i in offered]
    if st.session_state.get("funnel_indicator") not in ids:
        st.session_state["funnel_indicator"] = "re_referral_rate" if "re_referral_rate" in ids else ids[0]
    chosen = st.selectbox("DfE indicator", ids, key="funnel_indicator", format_func=lambda i: registry.indicators[i].title)
    ind = registry.indicators[chosen]
    points, curves = data.funnel(chosen, year)
    centre = float(curves["centre"].iloc[0])
    finding, detail = league.headline_parts(ind, points, year, centre)
    st.title(finding)
    st.markdown(f"**{detail}**")
    st.plotly_chart(_figure(ind, points, curves, league.centre_label(ind, year, centre)), width="stretch",
                    config={"displayModeBar": False})
    st.caption(f"Each dot is one LA (DfE, {year}): x = {_x_title(ind)}, y = {ind.unit}, as DfE published it. "
               f"Dotted line: {league.centre_label(ind, year, centre)}. Dashed and solid lines: exact "
               f"{'binomial' if ind.statistic == 'proportion' else 'Poisson'} 95% and 99.8% limits around it "
               f"(Spiegelhalter 2005); an LA beyond a line has an exact one-sided p below 0.025 or 0.001, "
               f"so its difference from England is unlikely to be chance. {ind.definition} {OGL_CREDIT}")
    table = safe_for_spreadsheet(_table(ind, points))
    with st.expander("Table of this chart"):
        st.dataframe(table, hide_index=True, width="stretch")
    st.download_button("Download CSV of this chart", table.to_csv(index=False),
                       file_name=f"funnel_{chosen}_{year}.csv", mime="text/csv")


def _table(ind, points: pd.DataFrame) -> pd.DataFrame:
    shown = points.sort_values(["rank", "name"]).assign(value=points["value"].round(ind.decimals),
                                                        p_value=points["p_value"].map(lambda p: f"{p:.3g}"))
    columns = {"rank": f"Rank ({league.rank_note(ind.polarity)})", "name": "Local authority",
               "value": f"{ind.title} ({ind.unit})", "numerator": ind.counts_what.capitalize(),
               "denominator": _x_title(ind).removesuffix(" (log scale)").capitalize(),
               "band": "Funnel band", "p_value": "Exact one-sided p against England", "group": "Group"}
    return shown[list(columns)].rename(columns=columns)


def _figure(ind, points: pd.DataFrame, curves: pd.DataFrame, centre_label: str) -> go.Figure:
    fig = go.Figure()
    for tag, dash in (("95", "dash"), ("998", "solid")):
        for side in ("lower", "upper"):
            fig.add_trace(go.Scatter(x=curves["n"], y=curves[f"{side}_{tag}"], mode="lines", showlegend=side == "upper",
                                     name=f"{'95%' if tag == '95' else '99.8%'} limits",
                                     line=dict(color="#000000", dash=dash, width=1.5)))
    fig.add_trace(go.Scatter(x=curves["n"], y=curves["centre"], mode="lines", name=centre_label,
                             line=dict(color="#000000", width=1, dash="dot")))
    for group, (colour, size) in GROUP_STYLE.items():
        part = points[points["group"] == group]
        labelled = group != "other LA"
        fig.add_trace(go.Scatter(
            x=part["denominator"], y=part["value"], mode="markers+text" if labelled else "markers",
            name=council.name() if group == "partnership" else group,
            text=part["name"] if labelled else None, customdata=part[["name", "band"]],
            textposition="bottom center" if group == "partnership" else "top center",
            textfont=dict(size=18 if group == "partnership" else 13, color="#000000"),
            marker=dict(color=colour, size=size, line=dict(color="#000000", width=1 if labelled else 0)),
            hovertemplate="%{customdata[0]}: %{y}, %{customdata[1]}<extra></extra>"))
    fig.update_layout(height=560, xaxis_type="log", xaxis_title=_x_title(ind), yaxis_title=ind.unit,
                      font=dict(size=16), legend=dict(orientation="h", y=-0.15), margin=dict(l=10, r=10, t=10, b=10))
    return fig


def _x_title(ind) -> str:
    """The denominator in the registry's words: what an indicator counting that measure says it counts."""
    if ind.denominator == "population":
        return "children aged 0-17 (log scale)"
    counted = [i.counted for i in data.registry().indicators.values() if i.numerator == ind.denominator and i.counted]
    words = counted[0] if counted else (ind.denominator or "").replace("_", " ")
    return f"{words} (log scale)"
