"""A priority-area page: tiles for every indicator, then a drill-down chart."""

from __future__ import annotations

import streamlit as st

from cscp_metrics import SYNTHETIC_NOTICE
from cscp_metrics.indicators.drill import (
    DrillPath,
    chartable,
    checked,
    drillable,
    label,
    stand_in,
    value_labels,
)

from . import assurance, charts, council, data, projector, slides
from .filters import current
from .plain_text import for_markdown
from .tiles import has_figure, render_focus
from .tiles import render as render_tile
from .tiles import views as tile_views


def page(areas: list[str], title: str, intro: str = "", columns: int = 3) -> None:
    filters = current()
    registry = data.registry()
    indicators = [i for a in areas for i in registry.for_area(a)]
    ids = [i.id for i in indicators]
    if projector.deck(title, ids, lambda i: slides.tile_slide(i, filters)):
        return
    st.title(f"{title}: {council.name()}")
    st.caption(SYNTHETIC_NOTICE if council.is_demo() else council.caption())
    if intro:
        st.write(intro)
    shown = tile_views(tuple(ids), filters.period, filters.comparator, filters.public)
    if shown and not any(has_figure(v.tile) for v in shown):
        st.info(council.page_gap(tuple(ids), filters.period))
    focus = st.session_state.get("focus") or {}
    if focus.get("indicator") in ids:  # opened by a 'Show me' button in Where to look
        focused = tile_views((focus["indicator"],), filters.period, filters.comparator, filters.public)
        render_focus(focused[0], focus["sentence"])
    questions = data.challenges_by_indicator(filters.period)
    for start in range(0, len(indicators), columns):
        cols = st.columns(columns)
        for col, view in zip(cols, shown[start : start + columns]):
            with col:
                render_tile(view, questions.get(view.tile.indicator.id))
    assurance.area_panel(areas)
    drillable = chartable(indicators)
    if drillable and filters.year in council.local_years():  # breakdowns come from local records, not DfE's
        drill_section(drillable, filters)


def drill_section(indicators, filters) -> None:
    st.header("Drill down")
    ids = [i.id for i in indicators]
    path = DrillPath.parse(st.session_state.get("drill", ""), ids[0])
    if path.indicator_id not in ids:  # e.g. 'Show me' on a rate with no chart: the chart of the same count
        path = DrillPath(stand_in(path.indicator_id, indicators, data.registry().indicators))
    chosen = st.selectbox(
        "Indicator",
        ids,
        index=ids.index(path.indicator_id),
        format_func=lambda i: data.registry().indicators[i].title,
        key=f"drill_pick_{ids[0]}",
    )
    if chosen != path.indicator_id:
        path = DrillPath(chosen)
    ind = data.registry().indicators[path.indicator_id]
    path, valid = checked(
        path, ind, lambda level, dim: data.breakdown(ind.id, filters.period, dim, level.steps, filters.public)
    )
    if not valid:
        st.warning(
            "Part of this drill-down is not a published bar of this indicator for this period (a link may "
            "be out of date, or the bar is hidden for small numbers); showing the levels that are."
        )
    crumbs = [for_markdown(ind.title)] + [for_markdown(f"{label(d)}: {label(v, d)}") for d, v in path.steps]
    row = st.container(horizontal=True, vertical_alignment="center")  # each crumb whole, wrapping, not cut off
    for depth, crumb in enumerate(crumbs):
        if depth < len(path.steps) and row.button(f"↑ {crumb}", key=f"crumb_{depth}"):
            _set(path.up(depth))
        elif depth == len(path.steps):
            row.markdown(f"**{crumb}**")
    dimension = path.next_dimension(ind)
    if dimension is None:
        st.info("This is the finest breakdown the data has. Use the breadcrumb to climb back.")
        _store(path)
        return
    options = [d for d in ind.breakdowns if d not in path.where()]
    dimension = st.selectbox("Break down by", options, format_func=label, key=f"dim_{path.text()}")
    frame = data.breakdown(ind.id, filters.period, dimension, tuple(path.steps), filters.public)
    if frame.empty:
        st.info("No records for this selection.")
        _store(path)
        return
    moves = st.session_state.get("drill_moves", 0)
    key = f"chart_{path.text()}_{dimension}_{moves}"
    view = _breakdown_view(ind.id, filters.period, dimension, tuple(path.steps), filters.public)
    clicked = charts.render_breakdown(ind, view, dimension, filters.period, key=key)
    choices = drillable(frame)
    named = dict(zip(choices, value_labels(choices, dimension)))
    picked = st.selectbox(
        f"Or choose {'an' if label(dimension)[:1].lower() in 'aeiou' else 'a'} {label(dimension)} to break down",
        [""] + choices,
        format_func=lambda v: named.get(v, ""),
        key=f"pick_{key}",
    )
    if picked:
        _set(path.down(dimension, picked))
    if clicked is not None and str(clicked) in choices:
        _set(path.down(dimension, str(clicked)))
    _store(path)


@data.by_store_version(copied=False)
def _breakdown_view(
    at: data.Reading, indicator_id: str, period: str, dimension: str, where: tuple, public: bool
) -> charts.BreakdownView:
    del at  # in the key: the breakdown below is read from the same version
    frame = data.breakdown(indicator_id, period, dimension, where, public)
    registry = data.registry()
    return charts.breakdown_view(registry.indicators[indicator_id], frame, dimension, period, council.is_demo(), where)


def _store(path: DrillPath) -> None:
    st.session_state["drill"] = path.text()


def _set(path: DrillPath) -> None:
    st.session_state["drill"] = path.text()
    # a new chart key per move: a selection kept from before would drill straight back down after climbing up
    st.session_state["drill_moves"] = st.session_state.get("drill_moves", 0) + 1
    st.rerun()
