"""`cscp outliers` and `cscp challenge`: the independent scrutineer's commands."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Optional

import typer
from pydantic import ValidationError

from cscp_metrics.cli.output import DbOption, Format, emit, read_only_store
from cscp_metrics.records import challenges

challenge_app = typer.Typer(help="The scrutineer's challenge log.", no_args_is_help=True)


def outliers(
    period: str = typer.Option("2019-20", "--period", help="2019-20 or 2019-20-Q1"),
    db: Optional[Path] = DbOption,
    format: Format = typer.Option(Format.table, "--format"),
    partnership: bool = typer.Option(False, "--partnership", help="true values (default: public, 1-5 as c)"),
    include_similar: bool = typer.Option(False, "--all", help="also list checks that found nothing"),
) -> None:
    """Where to look: signals ranked by strength of evidence and size of effect, with reconciliation to DfE."""
    from cscp_metrics.ready.signals import find
    from cscp_metrics.scrutiny.where_to_look import as_frame

    with read_only_store(db) as con:
        with _log_or_exit(challenges.snapshot, db) as log:  # a copy: the log stays free for writers during the run
            signals = find(con, period, public=not partnership, include_similar=include_similar, challenge_log=log)
        if format is Format.json:
            typer.echo(json.dumps([s.as_published() for s in signals], indent=2, default=str))
        elif format is Format.csv:
            emit(as_frame(signals), format)
        else:
            for rank, s in enumerate(signals, 1):
                typer.echo(f"{rank:>3}. [{s.kind}, {s.direction}] {s.sentence}")
                for question in s.challenges:
                    typer.echo(f"      challenge {question}")


def funnel(
    indicator_id: str,
    period: str = typer.Option("2019-20", "--period", help="a financial year, e.g. 2019-20"),
    db: Optional[Path] = DbOption,
    format: Format = typer.Option(Format.table, "--format"),
    partnership: bool = typer.Option(False, "--partnership", help="true values (default: public, 1-5 as c)"),
) -> None:
    """Every LA on one DfE indicator: funnel band around the pooled value of all LAs, and rank."""
    from cscp_metrics.indicators import summary
    from cscp_metrics.indicators.periods import parse_period
    from cscp_metrics.indicators.registry import load_registry
    from cscp_metrics.ready import funnels
    from cscp_metrics.scrutiny import league

    registry = load_registry()
    ind = registry.indicators.get(indicator_id)
    if ind is None:
        typer.echo(f"unknown indicator '{indicator_id}'; `cscp indicators` lists them", err=True)
        raise typer.Exit(2)
    try:
        year = parse_period(period)
    except ValueError as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(2) from None
    if year.kind != "year":
        typer.echo(f"'{period}' is not a financial year; DfE publishes years only, e.g. 2019-20", err=True)
        raise typer.Exit(2)
    with read_only_store(db) as con:
        offered = [i.id for i in league.funnel_indicators(con, registry, year.label)]
        if ind.id not in offered:
            typer.echo(
                f"no funnel for {ind.title} in {year.label}: DfE has no proportion or rate for every LA. "
                f"Indicators with one: {', '.join(offered) or 'none'}",
                err=True,
            )
            raise typer.Exit(1)
        points, curves = funnels.frame(con, ind, year.label)
        if not partnership:
            points = league.public_points(points, ind)
        centre = float(curves["centre"].iloc[0])
        own_figure = league.own_figure_line(
            ind, points, summary.tile(con, ind.id, year.label, "england", not partnership)
        )
        table = league.shown_figures(league.in_rank_order(points))[list(league.AREA_FIELDS)]
        if format is Format.json:
            records = [
                {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()} for row in table.to_dict("records")
            ]
            typer.echo(
                json.dumps(
                    {
                        "indicator_id": ind.id,
                        "title": ind.title,
                        "period": year.label,
                        "unit": ind.unit,
                        "headline": league.headline(ind, points, year.label, centre),
                        "own_figure": own_figure,
                        "centre": centre,
                        "centre_label": league.centre_label(ind, year.label, centre),
                        "areas": records,
                    },
                    indent=2,
                )
            )
        elif format is Format.csv:
            emit(table, format)
        else:
            typer.echo(league.headline(ind, points, year.label, centre))
            if own_figure:
                typer.echo(own_figure)
            emit(table, format)


@contextmanager
def _log_or_exit(open_log, db):
    """The challenge log, opened briefly; a log busy for too long is a message and exit 3, not a traceback."""
    try:
        with open_log(db) as log:
            yield log
    except challenges.LogBusy as busy:
        typer.echo(str(busy), err=True)
        raise typer.Exit(3) from None


@challenge_app.command("add")
def challenge_add(
    indicator_id: str,
    period: str,
    question: str,
    owner: str = typer.Option(..., "--owner", help="the agency asked to answer"),
    due: Optional[str] = typer.Option(None, "--due", help="YYYY-MM-DD"),
    by: str = typer.Option("scrutineer", "--by"),
    db: Optional[Path] = DbOption,
) -> None:
    """Raise a question against an indicator and period."""
    from cscp_metrics.indicators.registry import load_registry

    if indicator_id not in load_registry().indicators:
        typer.echo(f"unknown indicator '{indicator_id}'; `cscp indicators` lists them", err=True)
        raise typer.Exit(2)
    try:
        new = challenges.NewChallenge(
            indicator_id=indicator_id,
            period=period,
            question=question,
            owner_agency=owner,
            due_date=date.fromisoformat(due) if due else None,
            recorded_by=by,
        )
    except (ValidationError, ValueError) as err:
        typer.echo(f"challenge not recorded: {err}", err=True)
        raise typer.Exit(2) from None
    with _log_or_exit(challenges.opened, db) as log:
        typer.echo(f"challenge #{challenges.raise_challenge(log, new)} recorded")


@challenge_app.command("update")
def challenge_update(
    challenge_id: int,
    status: str = typer.Option(..., "--status", help="open, answered or closed"),
    response: Optional[str] = typer.Option(None, "--response"),
    by: str = typer.Option("scrutineer", "--by"),
    db: Optional[Path] = DbOption,
) -> None:
    """Record a response or a new status; the earlier state is kept in the history."""
    with _log_or_exit(challenges.opened, db) as log:
        try:
            current = challenges.update(log, challenge_id, status, response, by)  # type: ignore[arg-type]  # checked there
        except (KeyError, ValueError) as err:
            typer.echo(str(err).strip("'\""), err=True)
            raise typer.Exit(2) from None
    typer.echo(f"challenge #{current.challenge_id} is {current.status}")


@challenge_app.command("list")
def challenge_list(
    period: Optional[str] = typer.Option(None, "--period"),
    db: Optional[Path] = DbOption,
    format: Format = typer.Option(Format.table, "--format"),
) -> None:
    """The meeting list: everything not closed, carried forward, plus this period's closed ones."""
    import pandas as pd

    with _log_or_exit(challenges.reading, db) as log:
        rows = challenges.meeting_list(log, period)
    emit(pd.DataFrame([c.model_dump() for c in rows], columns=list(challenges.Challenge.model_fields)), format)
