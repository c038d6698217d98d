"""The annual report's data chapter as data: per priority area, the figures in the dashboard's own sentences
(the tile's comparison, where to look's trend, breakdown and variation findings), the chart that tells the
area's story with its table, the largest breakdown, then the reconciliation of local and DfE figures. Written
by two renderers (DOCX and HTML) as a draft to edit."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from cscp_metrics.indicators.areas import partnership_name
from cscp_metrics.indicators.drill import breakdown_finding
from cscp_metrics.indicators.readable import breakdown_download
from cscp_metrics.indicators.registry import Registry, load_registry
from cscp_metrics.indicators.summary import Tile, breakdown
from cscp_metrics.ready import reconciliation as ready_reconciliation
from cscp_metrics.ready import signals as ready_signals
from cscp_metrics.scrutiny import reconciliation
from cscp_metrics.scrutiny.league import figure_text
from cscp_metrics.scrutiny.signals import Signal

from .area_story import AreaStory, area_stories
from .chart_images import to_png
from .deck import ChartImage
from .story_chart import story_chart

TREND_KINDS = ("change", "spc", "funnel", "breakdown")  # where to look's other findings about an indicator
BREAKDOWN_ROWS = 10


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]
    chart: ChartImage | None = None
    tables: tuple[Table, ...] = ()
    definitions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chapter:
    title: str
    period: str
    public: bool
    introduction: str
    sections: tuple[Section, ...]


def build_chapter(con: duckdb.DuckDBPyConnection, period: str, public: bool, comparator: str = "england") -> Chapter:
    registry = load_registry()
    signals = ready_signals.find(con, period, public=public, registry=registry)
    stories = area_stories(con, period, signals, public, comparator, registry)
    charts = [story_chart(s.story) for s in stories if s.story is not None]
    drawn = iter(zip(charts, to_png([c.figure for c in charts])))
    sections = []
    for story in stories:
        image = None
        if story.story is not None:
            chart, (png, seconds) = next(drawn)
            image = ChartImage(png, chart.alt_text, chart.title, chart.table_header, chart.table_rows, seconds)
        sections.append(_section(con, story, signals, image, period, public))
    sections.append(_reconciliation(con, period, public, registry))
    council = partnership_name(con)
    intro = (
        f"This chapter sets out what the partnership's data show for {period}, area by area: each figure with "
        f"its comparison and, where the evidence shows one, its trend. "
        + (
            "Counts of 1 to 5, and figures derived from them, are shown as c."
            if public
            else "This draft shows true values, small numbers included: check disclosure before publishing."
        )
    )
    return Chapter(f"{council}: what the data tell us, {period}", period, public, intro, tuple(sections))


def _section(
    con, story: AreaStory, signals: list[Signal], image: ChartImage | None, period: str, public: bool
) -> Section:
    paragraphs = []
    for t in story.tiles:
        found = [s.sentence for s in signals if s.indicator_id == t.indicator.id and s.kind in TREND_KINDS]
        paragraphs.append(" ".join([t.sentence, *found]))
    tables = []
    if image is not None:
        tables.append(Table(image.title, image.table_header, image.table_rows))
    lead = story.story or story.tiles[0]
    largest = _largest_breakdown(con, lead, period, public)
    if largest is not None:
        paragraphs.append(largest[0] + ".")
        tables.append(largest[1])
    definitions = tuple(f"{t.indicator.title}: {t.indicator.definition}" for t in story.tiles)
    return Section(story.title, tuple(paragraphs), image, tuple(tables), definitions)


def _largest_breakdown(con, lead: Tile, period: str, public: bool) -> tuple[str, Table] | None:
    """The lead indicator by its first breakdown (other than month), as the dashboard's drill-down shows it."""
    ind = lead.indicator
    dimension = next((d for d in ind.breakdowns if d != "month"), None)
    if dimension is None or not ind.local:
        return None
    frame = breakdown(con, ind.id, period, dimension, {}, public)
    if frame.empty or (frame["value"].isna() & ~frame["suppressed"]).all():  # no figure at all (hidden is one)
        return None
    finding = breakdown_finding(ind, frame, dimension, period)
    table = breakdown_download(ind, frame.head(BREAKDOWN_ROWS), dimension, period, "").drop(
        columns=["Data source", "Period"]
    )
    rows = tuple(tuple(_cell(v) for v in row) for row in table.itertuples(index=False))
    return finding, Table(finding, tuple(str(c) for c in table.columns), rows)


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,}"
    return str(value)


def _reconciliation(con, period: str, public: bool, registry: Registry) -> Section:
    frame = ready_reconciliation.find(con, period, registry)
    frame = reconciliation.shown(frame, public)  # a local or DfE count of 1-5 is not published: its row is left out
    if frame.empty:
        return Section(
            "Local figures and DfE's published figures",
            ("There are no local case records for this year to set against DfE's published figures.",),
        )
    paragraphs = tuple(reconciliation.sentence(row, registry) for _, row in frame.iterrows())
    rows = tuple(
        (
            r["title"],
            figure_text(reconciliation.compared_value(r), registry.indicators[r["indicator_id"]]),
            figure_text(r["dfe_value"], registry.indicators[r["indicator_id"]]),
            reconciliation.STATUS_WORDS[r["status"]][0],
        )
        for _, r in frame.iterrows()
    )
    table = Table(
        f"Local case records against DfE's published figures, {period}",
        ("Indicator", "Local case records (a rate on DfE's population base where known)", "DfE published", "Status"),
        rows,
    )
    intro = (
        "Where the partnership's own case records and DfE's census differ, each figure is labelled as what "
        "it is. A count within 10% of the census is the usual gap between a live extract and the validated "
        "year-end return."
    )
    return Section("Local figures and DfE's published figures", (intro, *paragraphs), None, (table,))
