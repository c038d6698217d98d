"""An indicator tile: value, period, sparkline, comparator with significance in words, SPC state."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from cscp_metrics.indicators.disclosure import C_MEANS
from cscp_metrics.indicators.periods import period_words
from cscp_metrics.indicators.summary import Tile, format_value

from . import council, data, sparkline

VERDICT = {
    "better": "better",
    "worse": "worse",
    "similar": "similar",
    "higher": "higher (no better/worse)",
    "lower": "lower (no better/worse)",
    "not compared": "not compared",
}


HIDDEN_YEARS = f"{C_MEANS} (a gap in the line)"


@dataclass(frozen=True)
class TileView:
    """What a tile shows, as text made once per published version (a rerun only draws it)."""

    tile: Tile
    caption: str
    no_data: str | None = None  # why there is no figure, when there is none
    sparkline: str | None = None
    sparkline_alt: str = ""
    lines: str = ""


def view_of(tile: Tile) -> TileView:
    ind = tile.indicator
    if not has_figure(tile):
        return TileView(
            tile, f"{period_words(tile.period)} · {ind.unit}", no_data=council.no_data_reason(ind.id, tile.period)
        )
    values = tile.trend["value"].astype(float)  # a hidden year is NaN: not drawn, listed as "c"
    hidden = tile.trend["suppressed"].astype(bool)
    trend = [
        f"{period_words(p, brief=True)}: {'c' if h else format_value(v, ind)}"
        for p, v, h in zip(tile.trend["period"], values, hidden)
        if h or not pd.isna(v)
    ]
    # a line of years wraps between years, never inside "2017-18" or "2019-20 Q3"
    unbroken = [entry.replace("-", "-\u2060").replace(" Q", "\u00a0Q") for entry in trend]
    drawn = int(values.notna().sum()) > 1  # a sparkline drawn from zero; its values are its name, and printed below
    listed = len(trend) > 1  # hidden years too: five years of c and one figure still say what the years were
    lines = []
    if tile.comparator_value is not None:
        lines.append(f"{tile.comparator}: {format_value(tile.comparator_value, ind)} → {VERDICT[tile.significance]}")
    if ind.statistic in ("proportion", "rate") and tile.has_interval:
        lines.append(f"95% interval {format_value(tile.lower, ind)} to {format_value(tile.upper, ind)}")
    lines.append(f"Variation: {tile.spc}")
    if listed:
        lines.append("Trend: " + " · ".join(unbroken))
        if tile.trend_note:
            lines.append(tile.trend_note)
        if hidden.any():
            lines.append(HIDDEN_YEARS)
    if tile.own_base_note:
        lines.append(tile.own_base_note)
    return TileView(
        tile,
        " · ".join(x for x in (period_words(tile.period), ind.unit, tile.basis) if x),
        sparkline=sparkline.svg([None if pd.isna(v) else float(v) for v in values]) if drawn else None,
        sparkline_alt=f"Trend of {ind.title}, drawn from zero: " + "; ".join(trend),
        lines="\n".join(lines),
    )


@data.by_store_version(copied=False)
def views(at: data.Reading, indicator_ids: tuple[str, ...], period: str, comparator: str, public: bool) -> list:
    """A page's tiles with their text (TileView each, in the order asked)."""
    del at  # in the key: the tiles below are read from the same version
    return [view_of(t) for t in data.tiles(indicator_ids, period, comparator, public)]


def render(view: TileView, challenges: list[str] | None = None) -> None:
    with st.container(border=True):
        st.metric(view.tile.indicator.title, "no data" if view.no_data else view.tile.value_text, border=False)
        if view.sparkline:
            st.image(view.sparkline, width="stretch", alt=view.sparkline_alt)
        st.caption(view.caption)
        st.text(view.no_data or view.lines)
        for question in challenges or []:
            st.text(f"Challenge {question}")


def render_focus(view: TileView, finding: str) -> None:
    """The indicator a 'Show me' button opened: first on the page, with the finding it was opened for."""
    st.subheader(f"From Where to look: {view.tile.indicator.title}")
    st.warning(finding)
    render(view)


def has_figure(tile: Tile) -> bool:
    """False when neither local records nor DfE give the council a figure (a suppressed one is a figure)."""
    return tile.suppressed or not (tile.value is None or (isinstance(tile.value, float) and pd.isna(tile.value)))
