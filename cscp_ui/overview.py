"""The overview: headline tiles and the plain-English list of where to look."""

from __future__ import annotations

import streamlit as st

from cscp_metrics import SYNTHETIC_NOTICE

from . import council, data, projector, slides
from .filters import current
from .tiles import render as render_tile
from .tiles import views as tile_views

HEADLINES = [
    "contacts",
    "referrals",
    "re_referral_rate",
    "cp_plan_rate",
    "lac_rate",
    "missing_children",
    "rhi_reduction",
    "assessments_in_45_days",
    "care_leavers_eet",
]


def page() -> None:
    filters = current()
    if projector.deck("Overview", HEADLINES, lambda i: slides.tile_slide(i, filters)):
        return
    st.title(f"Are children in {council.name()} safe? Overview")
    st.caption(SYNTHETIC_NOTICE if council.is_demo() else council.caption())
    shown = tile_views(tuple(HEADLINES), filters.period, filters.comparator, filters.public)
    tiles = [v.tile for v in shown]
    st.header("Where to look")
    flagged = [t for t in tiles if t.significance in ("better", "worse", "higher", "lower")]
    if flagged:
        for t in sorted(flagged, key=lambda t: t.significance != "worse"):
            st.text(("⚠ " if t.significance == "worse" else "✓ " if t.significance == "better" else "• ") + t.sentence)
    else:
        st.text("No headline indicator is significantly different from the comparator for this period.")
    st.page_link(
        "pages/where-to-look.py",
        label="Every indicator checked and ranked, with the reconciliation to DfE "
        "and the challenge log: Where to look (scrutiny)",
        icon=":material/search:",  # a font Streamlit bundles: the emoji is a blank box where no emoji font is installed
    )
    st.header("Headlines")
    questions = data.challenges_by_indicator(filters.period)
    for start in range(0, len(shown), 3):
        for col, view in zip(st.columns(3), shown[start : start + 3]):
            with col:
                render_tile(view, questions.get(view.tile.indicator.id))
