"""The slides each page shows in projector mode, built from the same figures as the page itself."""

from __future__ import annotations

import pandas as pd

from cscp_metrics.indicators.disclosure import C_MEANS
from cscp_metrics.indicators.periods import period_words
from cscp_metrics.indicators.summary import format_value

from . import charts, council, data
from .filters import Filters
from .projector import Slide
from .tiles import has_figure

CHART_FONT = 26
AGENCY_LINES = 10  # a slide holds about ten lines beside its heading


def tile_slide(indicator_id: str, filters: Filters) -> Slide:
    """An indicator: its figure, its finding, its comparator and variation, its trend from zero."""
    tile = data.tile(indicator_id, filters.period, filters.comparator, filters.public)
    ind = tile.indicator
    if not has_figure(tile):
        return Slide(
            heading=ind.title, value="no data", finding=council.no_data_reason(ind.id, tile.period), note=ind.definition
        )
    lines = []
    if tile.comparator_value is not None:
        lines.append(
            f"{tile.comparator}: {format_value(tile.comparator_value, ind)} · result: {tile.significance} · "
            f"variation: {tile.spc}"
        )
    else:
        lines.append(f"Variation: {tile.spc}")
    if tile.own_base_note:  # beside DfE's: which base the big number is on; alone: the partnership's own base
        lines.append(f"Big number: {tile.basis}. {tile.own_base_note}.")
    if tile.trend_note:
        lines.append(tile.trend_note)
    periods = [period_words(str(p), brief=True) for p in tile.trend["period"]]
    values = _numbers(tile.trend["value"])
    figure = alt = None
    table: tuple[tuple[str, str], ...] = ()
    if sum(v is not None for v in values) > 1:
        hidden = [bool(h) for h in tile.trend["suppressed"]]
        figure = charts.trend_figure(ind, periods, values, CHART_FONT, hidden)
        alt = charts.trend_alt(ind, periods, values, hidden)
        if any(hidden):
            lines.append(C_MEANS)
        table = tuple(
            (p, format_value(v, ind, hidden)) for p, v, hidden in zip(periods, values, tile.trend["suppressed"])
        )
    return Slide(
        heading=f"{ind.title}, {period_words(tile.period)}",
        value=tile.value_text,
        finding=tile.sentence,
        lines=tuple(lines),
        note=ind.definition,
        figure=figure,
        alt=alt or "",
        table=table,
    )


def _numbers(values: pd.Series) -> list[float | None]:
    """A trend's figures to draw: None for a hidden year (NaN) and for a year with no figure."""
    return [None if pd.isna(v) else float(v) for v in values.astype(float)]


def signal_slide(signal, number: int, what: str, questions: list[str]) -> Slide:
    """A finding of Where to look: its sentence, with the indicator's figure as the headline."""
    ind = data.registry().indicators.get(signal.indicator_id)
    shown = ind is not None and (signal.value is not None or signal.suppressed)
    value = format_value(signal.value, ind, signal.suppressed) if shown else ""
    lines = [what] + [f"Challenge {q}" for q in questions]
    return Slide(
        heading=f"{number}. {signal.title}",
        value=value,
        finding=signal.sentence,
        lines=tuple(lines),
        note=ind.definition if ind is not None else "",
    )


def definition_slide(row: pd.Series) -> Slide:
    """One indicator's definition, in the words of the Definitions page."""
    lines = [
        f"{column}: {row[column]}"
        for column in (
            "Priority area",
            "Measured as",
            "Which way is better",
            "Source",
            "Compared with DfE",
            "Small numbers (1-5)",
            "Breakdowns",
        )
        if str(row[column])
    ]
    return Slide(heading=str(row["Indicator"]), finding=str(row["Definition"]), lines=tuple(lines))


def data_slides() -> list[Slide]:
    """The Data page: what the store holds now, and each agency's last return."""
    from cscp_metrics.store.views import latest_load_line

    loads, agencies = data.table("loads"), data.table("agencies")
    refused = int((loads["outcome"] != "loaded").sum()) if "outcome" in loads else 0
    first = Slide(
        heading="Data: the store this dashboard reads",
        value=f"{len(loads):,} loads",
        finding=latest_load_line(loads),
        lines=(
            f"Store version published {data.published_at()}.",
            f"{refused:,} files refused, nothing of them stored.",
        ),
    )
    lines = [
        f"{r['agency']}: {int(r['measures'])} measures, latest period ending {str(r['latest_period_end'])[:10]}"
        for _, r in agencies.head(AGENCY_LINES).iterrows()
    ]
    if len(agencies) > AGENCY_LINES:
        lines.append(f"and {len(agencies) - AGENCY_LINES} more on the Data page")
    second = Slide(heading="Last return from each agency", value=f"{len(agencies)} agencies", lines=tuple(lines))
    return [first, second]


def assurance_slide(key: str, board) -> Slide:
    """The Assurance page's two findings: open risks (and those flagged for review), overdue actions."""
    if key == "risks":
        risks = board.risks
        open_risks = int((risks["status"] == "open").sum()) if not risks.empty else 0
        flagged = int((risks["review"] != "").sum()) if not risks.empty else 0
        return Slide(
            heading="Open risks in the register",
            value=f"{open_risks}",
            finding=f"{flagged} flagged for review.",
            lines=(f"As of {board.as_of}.",),
        )
    overdue = board.actions[board.actions["overdue"]] if not board.actions.empty else board.actions
    return Slide(heading="Overdue actions", value=f"{len(overdue)}", lines=(f"As of {board.as_of}.",))
