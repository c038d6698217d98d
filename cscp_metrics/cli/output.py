"""Options and output shared by the `cscp` commands."""

from __future__ import annotations

import json
from enum import StrEnum

import typer

DbOption = typer.Option(None, "--db", help="store path (default: $CSCP_DB, else data/cscp.duckdb)")


def read_only_store(db):
    """The published store, read-only, for commands that only read it; a clear message (exit 2) when there is
    none, instead of creating an empty store that would answer every question with 'not published'. Opened in a
    `with` block, so it is closed however the command ends: run in-process (the tests' CliRunner), an exit's
    traceback would otherwise keep the file open, and a plain connect to it is refused meanwhile."""
    from cscp_metrics.store import connection as store
    from cscp_metrics.store.publishing import NoStore, existing_store

    try:
        return store.connect(existing_store(db), read_only=True)
    except NoStore as missing:
        typer.echo(str(missing), err=True)
        raise typer.Exit(2) from None


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def emit(frame, fmt: Format) -> None:
    """A frame as a text table, JSON records or CSV (cells that look like formulas made inert)."""
    import pandas as pd

    from cscp_metrics.outputs.spreadsheet import safe_for_spreadsheet

    if fmt is Format.json:
        records = frame.astype(object).where(pd.notna(frame), None).to_dict(orient="records")
        typer.echo(json.dumps(records, indent=2, default=str))
    elif fmt is Format.csv:
        typer.echo(safe_for_spreadsheet(frame).to_csv(index=False), nl=False)
    else:
        typer.echo(frame.to_string(index=False))
