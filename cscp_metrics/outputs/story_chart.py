"""The chart that tells a priority area's story: its lead indicator over six years, from zero, beside the
comparator, with the words a screen reader reads and the table behind it. Built from a tile, so the chart shows
exactly the figures (and, publicly, the suppressions) the dashboard's tile shows."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from cscp_metrics.indicators.summary import Tile, format_value
from cscp_metrics.outputs import palette

BLUE, GREY, TEXT = palette.BLUE, palette.GREY_TEXT, palette.INK
WIDTH, HEIGHT = 900, 470


@dataclass(frozen=True)
class StoryChart:
    figure: go.Figure
    title: str
    alt_text: str
    table_header: tuple[str, ...]
    table_rows: tuple[tuple[str, ...], ...]


def trend_points(tile: Tile) -> list[tuple[str, float | None]]:
    """(period, value) for each year of the tile's trend; None for a suppressed year or one with no figure."""
    values = tile.trend["value"].astype(float)
    return [(str(p), None if pd.isna(v) else float(v)) for p, v in zip(tile.trend["period"], values)]


def has_trend(tile: Tile) -> bool:
    return int(tile.trend["value"].astype(float).notna().sum()) >= 2


def story_chart(tile: Tile) -> StoryChart:
    ind = tile.indicator
    points = trend_points(tile)
    shown = [format_value(v, ind, h) for (_, v), h in zip(points, tile.trend["suppressed"])]
    numbers = [v for _, v in points]
    title = f"{ind.title}, {points[0][0]} to {points[-1][0]}"
    fig = go.Figure(
        go.Scatter(
            x=[p for p, _ in points],
            y=numbers,
            mode="lines+markers+text",
            text=shown,
            textposition="top center",
            cliponaxis=False,
            line={"color": BLUE, "width": 4},
            marker={"size": 11},
            name="this council",
            connectgaps=False,
        )
    )
    top = max([n for n in numbers if n is not None] + [tile.comparator_value or 0])
    comparator = ""
    if tile.comparator_value is not None:
        comparator = f"{tile.comparator} {tile.period}: {format_value(tile.comparator_value, ind)}"
        fig.add_hline(
            y=tile.comparator_value,
            line={"color": GREY, "width": 2, "dash": "dash"},
            annotation_text=comparator,
            annotation_position="top right",
            annotation_font={"color": TEXT, "size": 20},
        )
    fig.update_layout(
        width=WIDTH,
        height=HEIGHT,
        margin={"l": 80, "r": 30, "t": 30, "b": 50},
        showlegend=False,
        font={"size": 22, "color": TEXT},
        plot_bgcolor="white",
        paper_bgcolor="white",
        yaxis={
            "title": ind.unit,
            "range": [0, top * 1.18 or 1],
            "gridcolor": palette.GRID,
            "rangemode": "tozero",
            "color": TEXT,
        },
        xaxis={"title": None, "color": TEXT, "type": "category"},
    )
    gaps = [p for (p, _), n in zip(points, numbers) if n is None]
    words = "; ".join(f"{p}: {s}" for (p, _), s in zip(points, shown))
    alt = (
        f"Line chart of {ind.title} ({ind.unit}) for each year from {points[0][0]} to {points[-1][0]}, "
        f"axis from zero. {words}."
        + (f" Dashed line: {comparator}." if comparator else "")
        + (f" Not shown: {', '.join(gaps)} (c: small numbers, or no figure)." if gaps else "")
    )
    rows = tuple((p, s) for (p, _), s in zip(points, shown))
    if comparator:
        rows += ((f"{tile.comparator} {tile.period}", format_value(tile.comparator_value, ind)),)
    return StoryChart(fig, title, alt, ("Year", f"{ind.title} ({ind.unit})"), rows)
