"""The board pack as data: one model of slides that both renderers (PPTX and PDF) draw, so they cannot differ.

Every text on a slide is already formatted (and, in a public pack, already disclosure-controlled) when the
model is built: the renderers only place it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TileFigure:
    """One headline tile as the dashboard shows it: the big number and the lines beneath it."""

    indicator_id: str
    title: str
    value_text: str
    lines: tuple[str, ...]  # unit and basis, comparator with the result, interval, trend, own-base note


@dataclass(frozen=True)
class ChartImage:
    """A chart exported to PNG, with the words a screen reader reads (alt text) and the table behind it."""

    png: bytes = field(repr=False)
    alt_text: str
    title: str
    table_header: tuple[str, ...]
    table_rows: tuple[tuple[str, ...], ...]
    seconds: float = 0.0  # export time, reported by `cscp pack`


@dataclass(frozen=True)
class Slide:
    title: str
    subtitle: str = ""
    bullets: tuple[str, ...] = ()
    tiles: tuple[TileFigure, ...] = ()
    chart: ChartImage | None = None
    notes: str = ""  # speaker notes: the definitions of every indicator on the slide


@dataclass(frozen=True)
class Deck:
    council: str
    period: str
    data_as_at: str
    public: bool
    slides: tuple[Slide, ...]

    @property
    def view_words(self) -> str:
        return (
            "Public version: counts of 1 to 5, and figures derived from them, are shown as c"
            if self.public
            else "Partnership version: true values, including small numbers. Not for publication"
        )

    def chart_seconds(self) -> list[float]:
        return [s.chart.seconds for s in self.slides if s.chart is not None]
