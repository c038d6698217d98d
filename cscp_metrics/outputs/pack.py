"""The board pack's slides, built from the store with the dashboard's own functions: where to look ranks the
findings, the tile function gives every number (public packs get the public view's disclosure control), the
working records give the challenge log, overdue actions and late returns."""

from __future__ import annotations

from pathlib import Path

import duckdb

from cscp_metrics.indicators.areas import partnership_name
from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.ready import signals as ready_signals

from . import assurance_records, meeting_records
from .area_story import AreaStory, area_stories, definition_notes, tile_lines
from .chart_images import to_png
from .deck import ChartImage, Deck, Slide, TileFigure
from .story_chart import story_chart

TOP_FINDINGS = 8


def data_as_at(con: duckdb.DuckDBPyConnection) -> str:
    """When the newest accepted file was loaded: what the pack's figures are as at."""
    row = con.execute("SELECT max(finished_at) FROM loads WHERE outcome = 'loaded'").fetchone()
    return f"{row[0]:%d %B %Y %H:%M}" if row and row[0] else "no data loaded"


def build_deck(
    con: duckdb.DuckDBPyConnection, period: str, public: bool, store: Path | None, comparator: str = "england"
) -> Deck:
    registry = load_registry()
    signals = ready_signals.find(con, period, public=public, registry=registry)
    stories = area_stories(con, period, signals, public, comparator, registry)
    council = partnership_name(con)
    title = Slide(
        f"{council} Safeguarding Children Partnership: board pack",
        subtitle=period,
        bullets=(
            f"Period: {period}",
            f"Data as at {data_as_at(con)}",
            "Public version" if public else "Partnership version: not for publication",
        ),
    )
    top = signals[:TOP_FINDINGS]
    findings = Slide(
        f"Where to look, {period}: the strongest findings first",
        bullets=tuple(s.sentence for s in top),
        notes="\n".join(
            f"{registry.indicators[i].title}: {registry.indicators[i].definition}"
            for i in dict.fromkeys(s.indicator_id for s in top)
            if i in registry.indicators
        ),
    )
    slides = [title, findings, *_area_slides(stories)]
    slides.append(
        Slide(
            "Challenge log",
            bullets=tuple(meeting_records.challenge_lines(store, period))
            or ("No challenges are open or were recorded for this period.",),
            notes="Open challenges are carried forward from earlier periods until closed.",
        )
    )
    moved = assurance_records.risks_that_moved(store, signals, public)
    if moved is not None:
        slides.append(
            Slide(
                "Risks whose indicators moved",
                bullets=tuple(r.line for r in moved)
                or ("No open risk has an indicator that moved beyond normal variation.",),
                notes="Open risks in the register linked to an indicator that where to look finds changed "
                "against last year beyond chance, or outside its SPC limits.",
            )
        )
    overdue = assurance_records.overdue_actions(con, store, public)
    if overdue is not None:
        slides.append(
            Slide(
                "Overdue actions",
                bullets=tuple(a.line for a in overdue) or ("No action is overdue.",),
                notes="An action not done by its due date is overdue from the next day.",
            )
        )
    returns = meeting_records.returns_summary(con, store, period)
    slides.append(
        Slide(
            "Data quality: partner returns",
            subtitle=returns.headline,
            bullets=returns.not_received or ("Every return due for this period has been received.",),
            notes="Each agency owes a return for each period on its schedule (quarterly by default, due "
            "30 days after the quarter): late once the due date has passed, missing after 28 "
            "days more, failed when its last upload was refused.",
        )
    )
    return Deck(council, period, data_as_at(con), public, tuple(slides))


def _area_slides(stories: list[AreaStory]) -> list[Slide]:
    charts = [story_chart(s.story) for s in stories if s.story is not None]
    drawn = iter(zip(charts, to_png([c.figure for c in charts])))
    slides = []
    for story in stories:
        image = None
        if story.story is not None:
            chart, (png, seconds) = next(drawn)
            image = ChartImage(png, chart.alt_text, chart.title, chart.table_header, chart.table_rows, seconds)
        shown = story.headline_tiles()
        tiles = tuple(TileFigure(t.indicator.id, t.indicator.title, t.value_text, tile_lines(t)) for t in shown)
        extra = () if story.story is None or any(t is story.story for t in shown) else (story.story,)
        slides.append(
            Slide(story.title, subtitle=story.finding, tiles=tiles, chart=image, notes=definition_notes(shown + extra))
        )
    return slides
