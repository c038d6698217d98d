"""Funnel plot: every LA on one DfE indicator, the partnership and its statistical neighbours highlighted."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cscp_metrics import OGL_CREDIT
from cscp_metrics.outputs.palette import GREY_MARK, OKABE_ITO
from cscp_metrics.outputs.spreadsheet import safe_for_spreadsheet
from cscp_metrics.scrutiny import league

from . import council, data, funnel_labels, projector
from .charts import legible
from .filters import current
from .funnel_labels import PLACES
from .plain_text import for_markdown, for_plotly
from .tiles import views as tile_views

GROUP_STYLE = {
    "other LA": (GREY_MARK, 8),
    "statistical neighbour": (OKABE_ITO[1], 13),
    "partnership": (OKABE_ITO[0], 20),
}


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
    if projector.deck(f"All LAs, {year}", ids, lambda i: _slide(registry.indicators[i], year, filters.public)):
        return
    if st.session_state.get("funnel_indicator") not in ids:
        st.session_state["funnel_indicator"] = "re_referral_rate" if "re_referral_rate" in ids else ids[0]
    chosen = st.selectbox(
        "DfE indicator", ids, key="funnel_indicator", format_func=lambda i: registry.indicators[i].title
    )
    ind = registry.indicators[chosen]
    points, curves = data.funnel(chosen, year, filters.public)
    centre = float(curves["centre"].iloc[0])
    finding, detail = league.headline_parts(ind, points, year, centre)
    st.title(finding)
    st.markdown(f"**{detail}**")
    local = _local_note(ind, points, year, filters.public)
    if local:
        st.text(local)
    st.plotly_chart(
        _figure(ind, points, curves, league.centre_label(ind, year, centre, brief=True)),
        width="stretch",
        config={"displayModeBar": False},
        alt=_alt(ind, points, year),
    )
    st.caption(
        f"Each dot is one LA (DfE, {year}): x = {_x_title(ind)}, y = {ind.unit}, as DfE published it. "
        f"{LOG_NOTE} "
        f"Dotted line: {league.centre_label(ind, year, centre)}. Dashed and solid lines: the "
        f"{league.interval_name(ind)} 95% and 99.8% intervals around it "
        "at each size (DATA-AND-METHODS.md section 3); a dot beyond a line lies outside that interval at its size. "
        "Where an LA's expected count is under about 4 the lower line sits above zero, so an LA with none can fall "
        f"below it by chance: its count is in the table. {ind.definition} {OGL_CREDIT}"
    )
    crowded = unnamed(points, curves)
    if crowded:
        st.caption(
            "Statistical neighbours in the crowd, not named on the chart for want of room (each is in the table of "
            f"this chart): {for_markdown(', '.join(crowded))}."  # names from DfE's files: never Markdown
        )
    with st.expander("Table of this chart"):
        st.dataframe(safe_for_spreadsheet(_table(ind, points)), hide_index=True, width="stretch")
    st.download_button(
        "Download CSV of this chart",
        csv_of_chart(ind, points),
        file_name=f"funnel_{chosen}_{year}.csv",
        mime="text/csv",
    )


def _local_note(ind, points: pd.DataFrame, year: str, public: bool) -> str:
    return league.own_figure_line(ind, points, tile_views((ind.id,), year, "england", public)[0].tile)


LOG_NOTE = "The x axis is on a log scale, which has no zero, so LAs of every size fit; the y axis starts at zero."


def _slide(ind, year: str, public: bool) -> projector.Slide:
    points, curves = data.funnel(ind.id, year, public)
    centre = float(curves["centre"].iloc[0])
    finding, detail = league.headline_parts(ind, points, year, centre)
    own = points[points["group"] == "partnership"]
    value = league.figure_text(own["value"].iloc[0], ind, league.hidden(own).iloc[0]) if not own.empty else ""
    named = league.shown_figures(league.in_rank_order(points[points["group"] != "other LA"]))
    return projector.Slide(
        heading=finding,
        value=value,
        finding=detail,
        lines=tuple(x for x in (_local_note(ind, points, year, public),) if x),  # as on the page: the local figure
        note=LOG_NOTE,
        figure=_figure(
            ind, points, curves, league.centre_label(ind, year, centre, brief=True), font_size=24, slide=True
        ),
        alt=_alt(ind, points, year),
        table=tuple(
            (
                str(r["name"]),
                f"{league.figure_text(r['value'], ind, r.get('suppressed', False))}, {r['band']}, rank {r['rank']}",
            )
            for _, r in named.iterrows()
        ),
    )


def _alt(ind, points: pd.DataFrame, year: str) -> str:
    return (
        f"Funnel plot of {ind.title} ({ind.unit}) for {len(league.drawn(points))} LAs, {year}, around all LAs' pooled value with 95% and "
        f"99.8% limits; {council.name()} and its statistical neighbours are labelled; the table of this chart "
        "lists every LA"
    )


def csv_of_chart(ind, points: pd.DataFrame) -> str:
    """The download: the chart's table, safe to open in a spreadsheet (in the public view, 1-5 and its row as c)."""
    return safe_for_spreadsheet(_table(ind, points)).to_csv(index=False)


def _table(ind, points: pd.DataFrame) -> pd.DataFrame:
    figures = points.assign(  # a hidden LA's figures are NaN here, and 'c' once shown
        value=points["value"].map(lambda v: round(float(v), league.dfe_places(ind))),  # as league.figure_text
    )
    shown = league.shown_figures(league.in_rank_order(figures))
    columns = {
        "rank": f"Rank ({league.rank_note(ind.polarity)})",
        "name": "Local authority",
        "value": f"{ind.title} ({ind.unit})",
        "numerator": ind.counts_what.capitalize(),
        "denominator": _x_title(ind).removesuffix(" (log scale)").capitalize(),
        "band": "Funnel band",
        "group": "Group",
    }
    return shown[list(columns)].rename(columns=columns)


def _figure(
    ind, points: pd.DataFrame, curves: pd.DataFrame, centre_label: str, font_size: int = 16, slide: bool = False
) -> go.Figure:
    """`slide`: for a projector, only the partnership named, the legend beside the plot, powers of ten on x."""
    fig = go.Figure()
    for tag, dash in (("95", "dash"), ("998", "solid")):
        for side in ("lower", "upper"):
            fig.add_trace(
                go.Scatter(
                    x=curves["n"],
                    y=curves[f"{side}_{tag}"],
                    mode="lines",
                    showlegend=side == "upper",
                    name=f"{'95%' if tag == '95' else '99.8%'} limits",
                    line=dict(color="#000000", dash=dash, width=1.5),
                )
            )
    fig.add_trace(
        go.Scatter(
            x=curves["n"],
            y=curves["centre"],
            mode="lines",
            name=centre_label,
            line=dict(color="#000000", width=1, dash="dot"),
        )
    )
    drawn = league.drawn(points)  # an LA shown as c is not drawn: its dot is its value and its denominator
    own_place, name_places = _name_places(drawn, curves, font_size - 3)
    named = [place is not None for place in name_places]
    for group, (colour, size) in GROUP_STYLE.items():
        part = drawn[drawn["group"] == group]
        labelled = group == "partnership" if slide else group != "other LA"
        fig.add_trace(
            go.Scatter(
                x=part["denominator"],
                y=part["value"],
                mode="markers+text" if labelled else "markers",
                name=council.name() if group == "partnership" else group,
                text=_names(part, named if group == "statistical neighbour" else None) if labelled else None,
                customdata=part[["name", "band"]],
                textposition=own_place if group == "partnership" else [p or PLACES[0] for p in name_places],
                textfont=dict(size=font_size + (2 if group == "partnership" else -3), color="#000000"),
                marker=dict(color=colour, size=size, line=dict(color="#000000", width=0 if group == "other LA" else 1)),
                hovertemplate="%{customdata[0]}: %{y}, %{customdata[1]}<extra></extra>",
            )
        )
    fig.update_layout(
        height=560,
        xaxis_type="log",
        xaxis_title=_x_title(ind),
        yaxis_title=ind.unit,
        font=dict(size=font_size),
        legend=dict(orientation="h", y=-0.15),
        margin=dict(l=10, r=10, t=10, b=10),
    )
    fig.update_yaxes(rangemode="tozero")
    if slide:
        fig.update_layout(legend={"orientation": "v", "x": 1.01, "y": 1})
        fig.update_xaxes(dtick=1)
    return legible(fig)


def _names(part: pd.DataFrame, named: list[bool] | None) -> list[str]:
    """Each dot's name, blank where it had no clear place (`named`; None: every one named)."""
    shown = named if named is not None else [True] * len(part)
    return [for_plotly(n) if keep else "" for n, keep in zip(part["name"], shown)]


def unnamed(points: pd.DataFrame, curves: pd.DataFrame, font_px: int = 13) -> list[str]:
    """The statistical neighbours whose names had no clear place on the page's chart."""
    drawn = league.drawn(points)
    part = drawn[drawn["group"] == "statistical neighbour"]
    return [str(n) for n, place in zip(part["name"], _name_places(drawn, curves, font_px)[1]) if place is None]


def _name_places(drawn: pd.DataFrame, curves: pd.DataFrame, font_px: int) -> tuple[str, list[str | None]]:
    """Where the partnership's name goes (in a larger font, clear of the highlighted dots), then each neighbour's,
    clear of it, of the others' and of the highlighted dots; None for a neighbour with no clear place."""
    everything = pd.concat([drawn["denominator"], curves["n"]])
    x_range = (float(everything[everything > 0].min()), float(everything.max()))
    y_top = float(pd.concat([drawn["value"], curves["upper_998"]]).max()) * 1.05
    taken = []
    for group, (_, size) in GROUP_STYLE.items():  # no name over a highlighted dot (the grey ones may be covered)
        if group != "other LA":
            dots = drawn[drawn["group"] == group]
            taken += [funnel_labels.dot_box(*_pixels(row, x_range, y_top), size) for _, row in dots.iterrows()]
    own_place = "bottom center"
    for _, row in drawn[drawn["group"] == "partnership"].iterrows():
        xy, name = _pixels(row, x_range, y_top), str(row["name"])
        own_place = str(
            funnel_labels.places(
                [row["denominator"]], [row["value"]], [name], font_px + 5, x_range, y_top, taken, always=True
            )[0]
        )
        taken.append(funnel_labels.name_box(*xy, name, font_px + 5, own_place))
    part = drawn[drawn["group"] == "statistical neighbour"]
    return own_place, funnel_labels.places(
        part["denominator"].tolist(),
        part["value"].tolist(),
        part["name"].astype(str).tolist(),
        font_px,
        x_range,
        y_top,
        taken,
    )


def _pixels(row: pd.Series, x_range: tuple[float, float], y_top: float) -> tuple[float, float]:
    return funnel_labels.pixels(float(row["denominator"]), float(row["value"]), x_range, y_top)


def _x_title(ind) -> str:
    """The denominator in the registry's words: what an indicator counting that measure says it counts."""
    if ind.per_population:
        return "children aged 0-17 (log scale)"
    counted = [i.counted for i in data.registry().indicators.values() if i.numerator == ind.denominator and i.counted]
    words = counted[0] if counted else str(ind.denominator or "").replace("_", " ")
    return f"{words} (log scale)"
