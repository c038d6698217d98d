"""A priority area as the papers tell it: its tiles (from the dashboard's own tile function), ordered by where
to look, and the indicator whose chart tells its story. Shared by the board pack and the report chapter."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from cscp_metrics.indicators.periods import period_words
from cscp_metrics.indicators.registry import Registry, load_registry
from cscp_metrics.indicators.registry.pages import load_pages
from cscp_metrics.indicators.summary import Tile, format_value, tile
from cscp_metrics.scrutiny.signals import Signal

from .story_chart import has_trend

VERDICT = {
    "better": "better",
    "worse": "worse",
    "similar": "similar",
    "higher": "higher (neither better nor worse)",
    "lower": "lower (neither better nor worse)",
    "not compared": "not compared",
}


@dataclass(frozen=True)
class AreaStory:
    area: str
    title: str
    tiles: tuple[Tile, ...]  # every indicator of the area with a figure: flagged first, by rank
    story: Tile | None  # the first of them with a trend to draw
    finding: str  # where to look's strongest finding in the area, else the story tile's sentence

    def headline_tiles(self, count: int = 6) -> tuple[Tile, ...]:
        return self.tiles[:count]


def has_figure(t: Tile) -> bool:
    """A suppressed figure is a figure; no local record and no DfE figure is not."""
    return t.suppressed or not (t.value is None or (isinstance(t.value, float) and pd.isna(t.value)))


def area_stories(
    con: duckdb.DuckDBPyConnection,
    period: str,
    signals: list[Signal],
    public: bool,
    comparator: str = "england",
    registry: Registry | None = None,
) -> list[AreaStory]:
    """Areas in the dashboard's page order; an area with no figure at all is left out."""
    registry = registry or load_registry()
    ranked = list(dict.fromkeys(s.indicator_id for s in signals if s.kind != "reconciliation"))
    position = {indicator_id: i for i, indicator_id in enumerate(ranked)}
    stories = []
    areas = load_pages().areas
    for area in areas:  # registry order, which is the dashboard's page order
        indicators = registry.for_area(area)
        order = sorted(range(len(indicators)), key=lambda i: (position.get(indicators[i].id, len(position)), i))
        tiles = [tile(con, indicators[i].id, period, comparator, public) for i in order]
        tiles = [t for t in tiles if has_figure(t)]
        if tiles:
            story = next((t for t in tiles if has_trend(t)), None)
            ids = {i.id for i in indicators}
            finding = next(
                (s.sentence for s in signals if s.kind != "reconciliation" and s.indicator_id in ids),
                (story or tiles[0]).sentence,
            )
            stories.append(AreaStory(area, areas[area], tuple(tiles), story, finding))
    return stories


def trend_line(t: Tile) -> str:
    values = t.trend[t.trend["value"].notna() | t.trend["suppressed"]]
    if len(values) < 2:
        return ""
    line = "Trend: " + ", ".join(
        f"{period_words(p, brief=True)} {format_value(v, t.indicator, h)}"
        for p, v, h in zip(values["period"], values["value"], values["suppressed"])
    )
    return f"{line}. {t.trend_note}." if t.trend_note else line


def tile_lines(t: Tile) -> tuple[str, ...]:
    """The lines under a tile's big number, as the dashboard's tile has them (its trend is on the chart and in
    the notes: `trend_line`)."""
    ind = t.indicator
    lines = [" · ".join(x for x in (ind.unit, t.basis) if x)]
    if t.comparator_value is not None:
        lines.append(f"{t.comparator}: {format_value(t.comparator_value, ind)}: {VERDICT[t.significance]}")
    if ind.statistic in ("proportion", "rate") and t.has_interval:
        lines.append(f"95% interval {format_value(t.lower, ind)} to {format_value(t.upper, ind)}")
    if t.own_base_note:
        lines.append(t.own_base_note)
    return tuple(lines)


def definition_notes(tiles: list[Tile] | tuple[Tile, ...]) -> str:
    """Speaker notes: each indicator's definition and source, from the registry, and its trend."""
    return "\n".join(
        f"{t.indicator.title} ({t.indicator.unit}): {t.indicator.definition} "
        f"Source: {t.indicator.source.replace('_', ' ')}. {trend_line(t)}".rstrip()
        for t in tiles
    )
