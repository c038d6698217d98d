"""A breakdown chart with its finding as title, definition caption, table alternative and CSV download."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cscp_metrics import SYNTHETIC_NOTICE
from cscp_metrics.indicators.disclosure import SUPPRESSED
from cscp_metrics.indicators.drill import breakdown_finding, label
from cscp_metrics.indicators.readable import breakdown_download
from cscp_metrics.indicators.registry import Indicator
from cscp_metrics.outputs.spreadsheet import safe_for_spreadsheet

from .plain_text import for_markdown, for_plotly

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
SHOWN_COLUMNS = ["indicator_id", "period", "area", "breakdown", "breakdown_value", "numerator", "denominator",
                 "value", "lower_ci", "upper_ci", "unit", "suppressed"]


def breakdown_figure(ind: Indicator, frame: pd.DataFrame, dimension: str, font_size: int = 16) -> go.Figure:
    values = pd.to_numeric(frame["value"].where(frame["value"] != SUPPRESSED), errors="coerce")
    text = [SUPPRESSED if v == SUPPRESSED else f"{float(v):,.{ind.decimals}f}" for v in frame["value"]]
    fig = go.Figure(go.Bar(
        x=[for_plotly(label(v)) for v in frame["breakdown_value"]], y=values.fillna(0), text=text, textposition="outside",
        customdata=frame["breakdown_value"].astype(str), marker_color=OKABE_ITO[0],
        hovertemplate="%{x}: %{text}<extra></extra>"))
    fig.update_layout(margin=dict(l=10, r=10, t=10, b=10), height=380, font=dict(size=font_size),
                      yaxis_title=for_plotly(ind.unit), xaxis_title=for_plotly(label(dimension)), clickmode="event+select")
    return fig


def render_breakdown(ind: Indicator, frame: pd.DataFrame, dimension: str, period: str, key: str, demo: bool):
    """Draw the chart; return the clicked breakdown value, if any."""
    st.subheader(for_markdown(breakdown_finding(ind, frame, dimension, period)))
    event = st.plotly_chart(breakdown_figure(ind, frame, dimension), key=key, on_select="rerun",
                            selection_mode="points", width="stretch")
    st.caption(f"{ind.definition} Source: {ind.source.replace('_', ' ')}. Click a bar to break it down further.")
    shown = safe_for_spreadsheet(frame.reindex(columns=SHOWN_COLUMNS))
    with st.expander("Table of this chart"):
        st.dataframe(shown.astype({c: str for c in ("numerator", "value", "lower_ci", "upper_ci")}),
                     hide_index=True, width="stretch")
    provenance = f"{ind.source.replace('_', ' ')}" + (f"; {SYNTHETIC_NOTICE}" if demo else "")
    download = safe_for_spreadsheet(breakdown_download(ind, frame, dimension, period, provenance))
    st.download_button("Download CSV of this chart", download.to_csv(index=False),
                       file_name=f"{ind.id}_{dimension}_{period}.csv", mime="text/csv", key=f"{key}_csv")
    points = (event or {}).get("selection", {}).get("points", []) if isinstance(event, dict) else \
        getattr(getattr(event, "selection", None), "points", []) or []
    if points:
        value = points[0].get("customdata")
        return value[0] if isinstance(value, list) else value
    return None
