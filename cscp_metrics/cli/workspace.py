"""`cscp members` (and the other partnership-workspace commands): a typer sub-app of its own."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Optional

import pandas as pd
import typer

from cscp_metrics.cli.output import DbOption, Format, emit
from cscp_metrics.records import members, workspace
from cscp_metrics.store import connection as store

members_app = typer.Typer(
    help="Partnership members and their roles (working records beside the store).", no_args_is_help=True
)


def known_agencies(db: Path | None) -> set[str] | None:
    """The store's agencies, to check `agency:<agency>` roles; None when there is no store yet."""
    path = store.resolve_db_path(db)
    if not path.exists():
        return None
    con = store.connect(path, read_only=True)
    try:
        return {row[0] for row in con.execute("SELECT agency_id FROM agencies").fetchall()}
    finally:
        con.close()


def _by() -> str:
    return f"cli:{getpass.getuser()}"


@members_app.command("add")
def members_add(
    email: str, role: str = typer.Option(..., "--role", help=members.ROLE_HELP), db: Optional[Path] = DbOption
) -> None:
    """Add a member, or change a member's role (the previous role is kept in the history)."""
    try:
        with workspace.opened(db) as records:
            member = members.add(records, email, role, _by(), known_agencies(db))
    except (ValueError, workspace.WorkspaceError) as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{member.email}: {member.role}")


@members_app.command("remove")
def members_remove(email: str, db: Optional[Path] = DbOption) -> None:
    """Remove a member; they keep only the public view."""
    try:
        with workspace.opened(db) as records:
            role = members.remove(records, email, _by())
    except (KeyError, ValueError, workspace.WorkspaceError) as err:
        typer.echo(str(err).strip("'\""), err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{email.strip().lower()}: removed (was {role})")


@members_app.command("list")
def members_list(
    db: Optional[Path] = DbOption,
    format: Format = typer.Option(Format.table, "--format"),
    history: bool = typer.Option(False, "--history", help="every change: who, what, when, previous role"),
) -> None:
    """Members and their roles, or every change to them."""
    with workspace.opened(db) as records:
        rows = members.history(records) if history else [m.model_dump() for m in members.listed(records)]
    frame = pd.DataFrame(rows, columns=None if rows else ["email", "role", "changed_at", "changed_by"])
    if frame.empty and format is Format.table:
        typer.echo("No members yet: `cscp members add EMAIL --role analyst` adds the first.")
        return
    emit(frame, format)


def templates_command(
    out: Optional[Path] = typer.Option(None, "--out", help="default: data/templates beside the code"),
) -> None:
    """Write one XLSX template per return, with its data dictionary, from the table contracts; and the section 11
    self-assessment template."""
    from cscp_metrics.records import section11_template
    from cscp_metrics.store.templates import TEMPLATE_DIR, write_all

    for path in [*write_all(out or TEMPLATE_DIR), section11_template.write(out or TEMPLATE_DIR)]:
        typer.echo(f"wrote {path}")


def returns_command(
    period: str = typer.Option(..., "--period", help="a quarter (2021-22-Q1) or a financial year"),
    as_of: Optional[str] = typer.Option(
        None, "--as-of", help="YYYY-MM-DD (default: the store's returns_as_of setting, else today)"
    ),
    db: Optional[Path] = DbOption,
    format: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Each agency's expected partner return for the period: received, late, failed, missing or not yet due."""
    from datetime import date

    from cscp_metrics.records import returns_status

    con = store.connect(db, read_only=True)
    try:
        day = date.fromisoformat(as_of) if as_of else returns_status.default_as_of(con)
        with workspace.opened(db) as records:
            found = returns_status.statuses(con, records, period, day)
    except ValueError as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(2) from None
    finally:
        con.close()
    frame = pd.DataFrame([s.as_dict() for s in found])
    if format is Format.table:
        typer.echo(f"Returns for {period} as of {day}:")
        frame = frame[["agency", "period", "status", "label"]]
    emit(frame, format)


def returns_demo_command(db: Optional[Path] = DbOption) -> None:
    """Give the demo store a realistic mix of 2021-22 Q1 returns (received, late, failed, missing)."""
    from cscp_metrics.records.returns_demo import seed

    for line in seed(db):
        typer.echo(line)
