"""An indicator tile: value, period, sparkline, comparator with significance in words, SPC state."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cscp_metrics.indicators.summary import Tile, format_value

from . import council, sparkline

VERDICT = {
    "better": "better",
    "worse": "worse",
    "similar": "similar",
    "higher": "higher (no better/worse)",
    "lower": "lower (no better/worse)",
    "not compared": "not compared",
}


def render(tile: Tile, challenges: list[str] | None = None) -> None:
    ind = tile.indicator
    if not has_figure(tile):
        with st.container(border=True):
            st.metric(ind.title, "no data", border=False)
            st.caption(f"{tile.period} · {ind.unit}")
            st.text(council.no_data_reason(ind.id, tile.period))
            for question in challenges or []:
                st.text(f"Challenge {question}")
        return
    with st.container(border=True):
        values = pd.to_numeric(tile.trend["value"], errors="coerce")
        spark = values.dropna().tolist()
        st.metric(ind.title, tile.value_text, border=False, help=None)
        trend = [f"{p}: {format_value(v, ind)}" for p, v in zip(tile.trend["period"], values) if not pd.isna(v)]
        if len(spark) > 1:  # drawn from zero; its values are its name, and printed below
            st.image(
                sparkline.svg([None if pd.isna(v) else float(v) for v in values]),
                width="stretch",
                alt=f"Trend of {ind.title}, drawn from zero: " + "; ".join(trend),
            )
        st.caption(" · ".join(x for x in (tile.period, ind.unit, tile.basis) if x))
        lines = []
        if tile.comparator_value is not None:
            lines.append(
                f"{tile.comparator}: {format_value(tile.comparator_value, ind)} → {VERDICT[tile.significance]}"
            )
        if ind.statistic in ("proportion", "rate") and tile.lower not in (None, "c") and not pd.isna(tile.lower):
            lines.append(f"95% interval {format_value(tile.lower, ind)} to {format_value(tile.upper, ind)}")
        lines.append(f"Variation: {tile.spc}")
        if len(spark) > 1:
            lines.append("Trend: " + " · ".join(trend))
        if tile.own_base_note:
            lines.append(tile.own_base_note)
        st.text("\n".join(lines))
        for question in challenges or []:
            st.text(f"Challenge {question}")


def render_focus(tile: Tile, finding: str) -> None:
    """The indicator a 'Show me' button opened: first on the page, with the finding it was opened for."""
    st.subheader(f"From Where to look: {tile.indicator.title}")
    st.warning(finding)
    render(tile)


def has_figure(tile: Tile) -> bool:
    """False when neither local records nor DfE give the council a figure (a suppressed one is a figure)."""
    return tile.suppressed or not (tile.value is None or (isinstance(tile.value, float) and pd.isna(tile.value)))
