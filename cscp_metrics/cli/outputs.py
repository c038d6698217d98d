"""`cscp pack` and `cscp report`: the board pack and the annual report's data chapter, from the store."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer

from cscp_metrics.cli.output import DbOption, read_only_store

PACK_SUFFIXES, REPORT_SUFFIXES = (".pptx", ".pdf"), (".docx", ".html")


def _checked(out: Path, suffixes: tuple[str, ...], period: str, con) -> str:
    """The output's kind from its suffix, and the period read as the dashboard reads it: a message, never a traceback."""
    from cscp_metrics.indicators.periods import parse_period
    from cscp_metrics.store.years import years

    suffix = out.suffix.lower()
    if suffix not in suffixes:
        typer.echo(f"--out {out}: write a {' or a '.join(suffixes)} file", err=True)
        raise typer.Exit(2)
    try:
        year = parse_period(period).fy_label
    except ValueError as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(2) from None
    known = years(con)
    if year not in known:
        typer.echo(f"the store has no figures for {year}: it covers {', '.join(known) or 'no year'}", err=True)
        raise typer.Exit(2)
    return suffix


def pack(
    period: str = typer.Option(..., "--period", help="a financial year (2019-20) or a quarter (2019-20-Q1)"),
    out: Path = typer.Option(..., "--out", help="FILE.pptx or FILE.pdf"),
    partnership: bool = typer.Option(False, "--partnership", help="true values (default: public, 1-5 as c)"),
    db: Optional[Path] = DbOption,
) -> None:
    """The board pack: where to look, one slide per priority area, challenges, actions, late returns."""
    from cscp_metrics.outputs.chart_images import ChartExportError
    from cscp_metrics.outputs.pack import build_deck
    from cscp_metrics.outputs.pdf_writer import write_pdf
    from cscp_metrics.outputs.pptx_writer import write_pptx

    with read_only_store(db) as con:
        suffix = _checked(out, PACK_SUFFIXES, period, con)
        started = time.perf_counter()
        try:
            deck = build_deck(con, period, public=not partnership, store=db)
        except ChartExportError as err:
            typer.echo(str(err), err=True)
            raise typer.Exit(2) from None
        (write_pptx if suffix == ".pptx" else write_pdf)(deck, out)
        charts = deck.chart_seconds()
        typer.echo(
            f"wrote {out}: {len(deck.slides)} slides, {'public' if deck.public else 'partnership'} view, "
            f"{len(charts)} charts ({sum(charts) / max(len(charts), 1):.2f} s each), "
            f"{time.perf_counter() - started:.1f} s in all"
        )


def report(
    period: str = typer.Option(..., "--period", help="a financial year, e.g. 2019-20"),
    out: Path = typer.Option(..., "--out", help="FILE.docx or FILE.html"),
    partnership: bool = typer.Option(False, "--partnership", help="true values (default: public, 1-5 as c)"),
    db: Optional[Path] = DbOption,
) -> None:
    """The annual report's data chapter: per priority area, the figures in sentences, a chart and its table."""
    from cscp_metrics.outputs.chapter import build_chapter
    from cscp_metrics.outputs.chapter_writers import write_docx, write_html
    from cscp_metrics.outputs.chart_images import ChartExportError

    with read_only_store(db) as con:
        suffix = _checked(out, REPORT_SUFFIXES, period, con)
        started = time.perf_counter()
        try:
            chapter = build_chapter(con, period, public=not partnership)
        except ChartExportError as err:
            typer.echo(str(err), err=True)
            raise typer.Exit(2) from None
        (write_docx if suffix == ".docx" else write_html)(chapter, out)
        typer.echo(f"wrote {out}: {len(chapter.sections)} sections, {time.perf_counter() - started:.1f} s")
