"""`cscp risk`: the partnership's risk register in the working records, every change kept."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Optional

import pandas as pd
import typer

from cscp_metrics.cli.output import DbOption, Format, emit, read_only_store
from cscp_metrics.cli.workspace import _by
from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.records import owners, risks, workspace
from cscp_metrics.records.refusals import Refused
from cscp_metrics.scrutiny import risk_register
from cscp_metrics.store import connection as store

risk_app = typer.Typer(help="The risk register: likelihood x impact, linked indicators, history.", no_args_is_help=True)
Partnership = typer.Option(False, "--partnership", help="true values (default: public, counts 1-5 as c)")
AsOf = typer.Option(None, "--as-of", help="YYYY-MM-DD (default: today)")


@contextmanager
def refusals() -> Iterator[None]:
    """Bad input or unreachable records: the message and exit 2, nothing stored, never a traceback."""
    try:
        yield
    except (Refused, KeyError, ValueError, workspace.WorkspaceError) as err:
        typer.echo(str(err).strip("'\""), err=True)
        raise typer.Exit(2) from None


def store_or_none(db: Path | None):
    path = store.resolve_db_path(db)
    return store.connect(path, read_only=True) if path.exists() else None


def day(text: str | None, name: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise Refused(f"{name} {text!r} is not a date: write YYYY-MM-DD, e.g. 2020-09-30") from None


@risk_app.command("add")
def risk_add(
    title: str,
    owner: str = typer.Option(..., "--owner"),
    likelihood: int = typer.Option(..., "--likelihood", help="1-5"),
    impact: int = typer.Option(..., "--impact", help="1-5"),
    indicator: list[str] = typer.Option([], "--indicator", help="a linked indicator id (repeatable)"),
    area: Optional[str] = typer.Option(None, "--area", help="priority area, e.g. domestic_abuse"),
    review_by: Optional[str] = typer.Option(None, "--review-by", help="YYYY-MM-DD"),
    description: Optional[str] = typer.Option(None, "--description"),
    controls: Optional[str] = typer.Option(None, "--controls"),
    public: bool = typer.Option(False, "--public", help="shown in the public view too"),
    db: Optional[Path] = DbOption,
) -> None:
    """Add a risk; refused whole (exit 2) for a likelihood or impact outside 1-5, an impossible date, an unknown
    indicator, area or owner."""
    con = store_or_none(db)
    with refusals(), workspace.opened(db) as records:
        risk = risks.add(
            records,
            {
                "title": title,
                "owner": owner,
                "likelihood": likelihood,
                "impact": impact,
                "indicators": tuple(indicator),
                "area": area,
                "review_by": review_by,
                "description": description,
                "controls": controls,
                "public": public,
            },
            _by(),
            load_registry(),
            owners.known_owners(con, records),
            date.today(),
        )
    typer.echo(f"risk #{risk.risk_id} recorded: {risk.as_dict()['label']}")


@risk_app.command("update")
def risk_update(
    risk_id: int,
    likelihood: Optional[int] = typer.Option(None, "--likelihood"),
    impact: Optional[int] = typer.Option(None, "--impact"),
    status: Optional[str] = typer.Option(None, "--status", help="open or closed"),
    note: Optional[str] = typer.Option(None, "--note"),
    owner: Optional[str] = typer.Option(None, "--owner"),
    controls: Optional[str] = typer.Option(None, "--controls"),
    review_by: Optional[str] = typer.Option(None, "--review-by"),
    db: Optional[Path] = DbOption,
) -> None:
    """Review a risk: what changes is kept with its previous value, and the review date becomes today."""
    con = store_or_none(db)
    given = {
        "likelihood": likelihood,
        "impact": impact,
        "status": status,
        "note": note,
        "owner": owner,
        "controls": controls,
        "review_by": review_by,
    }
    with refusals(), workspace.opened(db) as records:
        risk = risks.update(
            records,
            risk_id,
            {k: v for k, v in given.items() if v is not None},
            _by(),
            owners.known_owners(con, records),
            date.today(),
        )
    typer.echo(f"risk #{risk.risk_id} {risk.status}: {risk.as_dict()['label']}")


def _entries(
    db: Path | None, chosen: list[risks.Risk], period: str | None, as_of: str | None, partnership: bool
) -> list[dict]:
    with read_only_store(db) as con:
        with refusals():
            until = risk_register.data_until(con, day(as_of, "--as-of"))
            shown = period or risk_register.current_period(con)
            return [risk_register.risk_entry(con, r, shown, until, not partnership, load_registry()) for r in chosen]


@risk_app.command("list")
def risk_list(
    status: Optional[str] = typer.Option(None, "--status", help="open or closed (default: both)"),
    period: Optional[str] = typer.Option(None, "--period", help="for the findings (default: the store's year)"),
    as_of: Optional[str] = AsOf,
    partnership: bool = Partnership,
    db: Optional[Path] = DbOption,
    format: Format = typer.Option(Format.table, "--format"),
) -> None:
    """The register, highest score first, with each linked indicator's latest finding; flagged for review where
    a linked indicator worsened beyond normal variation since the last review."""
    with refusals(), workspace.opened(db) as records:
        chosen = risks.listed(records, status)
    entries = _entries(db, chosen, period, as_of, partnership)
    if format is Format.json:
        typer.echo(json.dumps(entries, indent=2, default=str))
        return
    rows = [
        {
            "id": e["risk_id"],
            "risk": e["title"],
            "rating": e["label"],
            "owner": e["owner"],
            "status": e["status"],
            "indicators": "; ".join(f"{i['title']}: {i['finding']}" for i in e["linked"]),
            "review": "FLAGGED: " + e["flag_reason"] if e["flagged_for_review"] else "",
        }
        for e in entries
    ]
    if not rows:
        typer.echo("No risks yet: `cscp risk add TITLE --owner O --likelihood L --impact I` adds one.")
        return
    emit(pd.DataFrame(rows), format)


@risk_app.command("show")
def risk_show(
    risk_id: int,
    period: Optional[str] = typer.Option(None, "--period"),
    as_of: Optional[str] = AsOf,
    partnership: bool = Partnership,
    db: Optional[Path] = DbOption,
    format: Format = typer.Option(Format.table, "--format"),
) -> None:
    """One risk with its linked indicators and its history (who changed what, when, the previous value)."""
    with refusals(), workspace.opened(db) as records:
        risk = risks.get(records, risk_id)
        changes = risks.history.changes(records, "risk", risk_id)
    entry = _entries(db, [risk], period, as_of, partnership)[0] | {"history": changes}
    if format is Format.json:
        typer.echo(json.dumps(entry, indent=2, default=str))
        return
    typer.echo(f"#{risk.risk_id} {risk.title} ({risk.status}): {entry['label']}, owner {risk.owner}")
    for item in entry["linked"]:
        typer.echo(f"  {item['title']}: {item['finding']}. Since the last review: {item['since_last_review']}")
    if entry["flagged_for_review"]:
        typer.echo(f"  FLAGGED FOR REVIEW: {entry['flag_reason']}")
    emit(pd.DataFrame(changes), Format.table)
