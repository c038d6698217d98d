"""A breakdown chart with its finding as title, definition caption, table alternative and CSV download."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cscp_metrics import SYNTHETIC_NOTICE
from cscp_metrics.indicators.drill import breakdown_finding, label, value_labels
from cscp_metrics.indicators.readable import breakdown_download
from cscp_metrics.indicators.registry import Indicator
from cscp_metrics.indicators.shown_cells import marked
from cscp_metrics.indicators.summary import format_value
from cscp_metrics.outputs.palette import INK, OKABE_ITO
from cscp_metrics.outputs.spreadsheet import safe_for_spreadsheet

from .plain_text import for_markdown, for_plotly, one_line

SHOWN_COLUMNS = [
    "indicator_id",
    "period",
    "area",
    "breakdown",
    "breakdown_value",
    "numerator",
    "denominator",
    "value",
    "lower_ci",
    "upper_ci",
    "unit",
    "suppressed",
]


def breakdown_figure(ind: Indicator, frame: pd.DataFrame, dimension: str, font_size: int = 16) -> go.Figure:
    return go.Figure(breakdown_spec(ind, frame, dimension, font_size))


def breakdown_spec(ind: Indicator, frame: pd.DataFrame, dimension: str, font_size: int = 16) -> dict:
    """The bar chart as plotly's dict (st.plotly_chart validates it once; a go.Figure first would be twice)."""
    values = frame["value"].astype(float)
    text = [marked(f"{v:,.{ind.decimals}f}", h) for v, h in zip(values, frame["suppressed"])]
    bar = {
        "type": "bar",
        "x": [for_plotly(v) for v in value_labels(frame["breakdown_value"].tolist(), dimension)],
        "y": values.fillna(0).tolist(),
        "text": text,
        "textposition": "outside",
        "customdata": frame["breakdown_value"].astype(str).tolist(),
        "marker": {"color": OKABE_ITO[0]},
        "hovertemplate": "%{x}: %{text}<extra></extra>",
    }
    layout = legible_layout(
        font_size,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        height=380,
        clickmode="event+select",
        xaxis={
            "title": for_plotly(label(dimension)),
            "type": "category",
        },  # "Oct 2019" is a bar, not a date to tick weekly
        yaxis={"title": for_plotly(ind.unit), "rangemode": "tozero"},  # bars of counts and rates from zero
    )
    return {"data": [legible_trace(bar)], "layout": layout}


def legible_layout(size: int, **layout) -> dict:
    """A layout with every text in INK (ticks, axis titles, legend) and ticks at the chart's font size (Streamlit's
    theme shrinks them to 12 px otherwise); `xaxis`/`yaxis` entries and a `title` text in them are kept. Built
    as one dict: plotly validates it once, where property-by-property updates cost ten times as much."""

    def axis(given: dict) -> dict:
        extra = dict(given)
        title = {"font": {"color": INK, "size": size}}
        if "title" in extra:
            title["text"] = extra.pop("title")
        return {"tickfont": {"color": INK, "size": size}, "linecolor": INK, "title": title, **extra}

    return {
        **layout,
        "font": {"size": size, "color": INK},
        "legend": {"font": {"color": INK, "size": size}},
        "xaxis": axis(layout.get("xaxis", {})),
        "yaxis": axis(layout.get("yaxis", {})),
    }


def legible_trace(trace: dict) -> dict:
    """Bar and point labels in INK."""
    return {**trace, "textfont": {**trace.get("textfont", {}), "color": INK}}


def legible(fig: go.Figure) -> go.Figure:
    """An already built figure made legible as legible_layout says (the funnel's several traces)."""
    fig.update_layout(legible_layout(fig.layout.font.size or 14))
    fig.update_traces(textfont_color=INK)
    return fig


def trend_figure(
    ind: Indicator, periods: list[str], values: list[float | None], font_size: int, hidden: Sequence[bool] = ()
) -> go.Figure:
    """A trend with every value printed at its point (nothing needs hover) on an axis from zero; a year hidden for
    small numbers is a gap in the line with a c on the axis."""
    text = [format_value(v, ind) if v is not None else "" for v in values]
    line = {
        "type": "scatter",
        "x": [for_plotly(p) for p in periods],
        "y": values,
        "mode": "lines+markers+text",
        "text": text,
        "textposition": "top center",
        "cliponaxis": False,
        "line": {"width": 5, "color": OKABE_ITO[0]},
        "marker": {"size": 14, "color": OKABE_ITO[0]},
        "textfont": {"size": font_size},
    }
    top = max((v for v in values if v is not None), default=0)
    layout = legible_layout(
        font_size,
        margin={"l": 10, "r": 30, "t": font_size * 2, "b": 10},
        showlegend=False,
        xaxis={"title": None},
        yaxis={"title": for_plotly(ind.unit), "rangemode": "tozero", "range": [0, top * 1.15 or 1]},  # room above
    )
    hidden_at = [for_plotly(p) for p, h in zip(periods, hidden) if h]
    middle = [top / 2] * len(hidden_at)  # in the gap, halfway up: on the zero line a c would read as a zero
    marks: dict[str, object] = {"type": "scatter", "x": hidden_at, "y": middle, "mode": "text"}
    marks |= {"text": ["c"] * len(hidden_at), "textposition": "middle center", "textfont": {"size": font_size}}
    return go.Figure({"data": [legible_trace(line)] + ([legible_trace(marks)] if hidden_at else []), "layout": layout})


def trend_alt(ind: Indicator, periods: list[str], values: list[float | None], hidden: Sequence[bool] = ()) -> str:
    shown = [(p, v) for p, v in zip(periods, values) if v is not None]
    if not shown:
        return f"{ind.title}: no trend"
    gaps = [p for p, h in zip(periods, hidden) if h]
    return (
        f"Line chart of {ind.title} ({ind.unit}), {shown[0][0]} to {shown[-1][0]}: "
        f"{format_value(shown[0][1], ind)} to {format_value(shown[-1][1], ind)}; the axis starts at zero"
        + (f"; hidden for small numbers (c): {', '.join(gaps)}" if gaps else "")
    )


@dataclass(frozen=True)
class BreakdownView:
    """A breakdown chart's title, figure, words and CSV, made once per published version."""

    finding: str
    figure: go.Figure  # validated once here: st.plotly_chart validates a dict on every rerun, a figure never
    alt: str
    caption: str
    table: pd.DataFrame
    csv: str
    drawn: bool = True  # False: every bar hidden for small numbers, so no empty axes are drawn


def breakdown_view(
    ind: Indicator, frame: pd.DataFrame, dimension: str, period: str, demo: bool, where: tuple = ()
) -> BreakdownView:
    finding = breakdown_finding(ind, frame, dimension, period, where)
    provenance = f"{ind.source.replace('_', ' ')}" + (f"; {SYNTHETIC_NOTICE}" if demo else "")
    table = safe_for_spreadsheet(breakdown_download(ind, frame, dimension, period, provenance))
    return BreakdownView(
        finding,
        go.Figure(breakdown_spec(ind, frame, dimension)),
        f"Bar chart of {ind.title} by {label(dimension)}: {one_line(finding)}; every bar's "
        "value is printed on it and listed in the table of this chart",
        f"{ind.definition} Source: {ind.source.replace('_', ' ')}. Click a bar to break it down further.",
        table,
        table.to_csv(index=False),
        bool((~frame["suppressed"].astype(bool)).any()),
    )


def render_breakdown(ind: Indicator, view: BreakdownView, dimension: str, period: str, key: str):
    """Draw the chart; return the clicked breakdown value, if any."""
    st.subheader(for_markdown(view.finding))
    event = (
        st.plotly_chart(view.figure, key=key, on_select="rerun", selection_mode="points", width="stretch", alt=view.alt)
        if view.drawn
        else st.info(
            "Every bar here is a count of 1 to 5, or would give one away: hidden in the public view, so there is "
            "no chart. Partnership members see the figures when logged in."
        )
    )
    st.caption(view.caption)
    with st.expander("Table of this chart"):  # the CSV's words and decimals, not the store's column names
        st.dataframe(view.table, hide_index=True, width="stretch")
    st.download_button(
        "Download CSV of this chart",
        view.csv,
        file_name=f"{ind.id}_{dimension}_{period}.csv",
        mime="text/csv",
        key=f"{key}_csv",
    )
    selection: dict = event.get("selection", {}) if isinstance(event, dict) else {}
    points = (
        selection.get("points", [])
        if isinstance(event, dict)
        else getattr(getattr(event, "selection", None), "points", []) or []
    )
    if points:
        value = points[0].get("customdata")
        return value[0] if isinstance(value, list) else value
    return None
