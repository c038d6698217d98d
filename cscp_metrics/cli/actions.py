"""`cscp action`: recommendations and actions with owners, due dates, status and what difference they made."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Optional

import pandas as pd
import typer

from cscp_metrics.cli.assurance import AsOf, Partnership, day, refusals, store_or_none
from cscp_metrics.cli.output import DbOption, Format, emit
from cscp_metrics.cli.workspace import _by
from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.records import actions, challenges, owners, workspace
from cscp_metrics.scrutiny.indicator_evidence import movement
from cscp_metrics.scrutiny.risk_register import data_until

action_app = typer.Typer(
    help="Recommendations and actions: owner, due date, status, evidence, impact.", no_args_is_help=True
)


def _challenge_ids(db: Path | None) -> set[int]:
    with challenges.reading(db) as log:
        return {int(r[0]) for r in log.execute("SELECT DISTINCT challenge_id FROM challenge_events").fetchall()}


@action_app.command("add")
def action_add(
    title: str,
    source: str = typer.Option(
        ..., "--source", help="KIND[:ID]: audit:3, review:1, risk:2, s11:2019, challenge:4 or board"
    ),
    owner: str = typer.Option(..., "--owner"),
    due: str = typer.Option(..., "--due", help="YYYY-MM-DD"),
    indicator: list[str] = typer.Option([], "--indicator", help="an indicator it should move (repeatable)"),
    start: Optional[str] = typer.Option(
        None, "--start", help="YYYY-MM-DD it began (default: today); the indicator is compared before and since"
    ),
    area: Optional[str] = typer.Option(None, "--area"),
    public: bool = typer.Option(False, "--public"),
    db: Optional[Path] = DbOption,
) -> None:
    """Record a recommendation or action; refused whole (exit 2) for an impossible date, an unknown source,
    indicator or owner."""
    con = store_or_none(db)
    with refusals():
        known_challenges = _challenge_ids(db) if source.strip().lower().startswith("challenge") else None
        with workspace.opened(db) as records:
            action = actions.add(
                records,
                {
                    "title": title,
                    "source": source,
                    "owner": owner,
                    "due": due,
                    "started_on": start,
                    "indicators": tuple(indicator),
                    "area": area,
                    "public": public,
                },
                _by(),
                load_registry(),
                owners.resolver(con, records),
                date.today(),
                known_challenges,
            )
    typer.echo(f"action #{action.action_id} recorded ({action.source}), owner {action.owner}, due {action.due}")


@action_app.command("update")
def action_update(
    action_id: int,
    status: Optional[str] = typer.Option(None, "--status", help="not started, on track, at risk or done"),
    evidence: Optional[str] = typer.Option(None, "--evidence", help="evidence of completion"),
    due: Optional[str] = typer.Option(None, "--due"),
    note: Optional[str] = typer.Option(None, "--note"),
    db: Optional[Path] = DbOption,
) -> None:
    """A new status, evidence or due date; the previous values are kept in the history."""
    given = {"status": status, "evidence": evidence, "due": due, "note": note}
    with refusals(), workspace.opened(db) as records:
        action = actions.update(
            records, action_id, {k: v for k, v in given.items() if v is not None}, _by(), date.today()
        )
    typer.echo(f"action #{action.action_id}: {action.as_dict(date.today())['label']}")


def impact(db: Path | None, chosen: list[actions.Action], as_of: date, public: bool) -> dict[int, list[str]]:
    """Each action's linked indicators before it started and since (no store: nothing to compare)."""
    con = store_or_none(db)
    if con is None:
        return {}
    until, registry = data_until(con, as_of), load_registry()
    return {
        a.action_id: [movement(con, i, a.started_on, until, public, registry).sentence for i in a.indicators]
        for a in chosen
        if a.indicators
    }


@action_app.command("list")
def action_list(
    overdue: bool = typer.Option(False, "--overdue", help="only those past their due date and not done"),
    as_of: Optional[str] = AsOf,
    source: Optional[str] = typer.Option(None, "--source", help="KIND[:ID]"),
    partnership: bool = Partnership,
    db: Optional[Path] = DbOption,
    format: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Actions, overdue first; with each linked indicator before the action and since."""
    with refusals():
        today = day(as_of, "--as-of") or date.today()
        with workspace.opened(db) as records:
            chosen = actions.listed(records, today, overdue, source)
    moved = impact(db, chosen, today, not partnership)
    entries = [a.as_dict(today) | {"impact": moved.get(a.action_id, [])} for a in chosen]
    if format is Format.json:
        typer.echo(json.dumps(entries, indent=2, default=str))
        return
    if not entries:
        typer.echo("No actions" + (" overdue" if overdue else "") + f" as of {today}.")
        return
    emit(
        pd.DataFrame(
            [
                {
                    "id": e["action_id"],
                    "action": e["title"],
                    "source": e["source"],
                    "owner": e["owner"],
                    "status": e["label"],
                    "impact": " | ".join(e["impact"]),
                }
                for e in entries
            ]
        ),
        format,
    )
