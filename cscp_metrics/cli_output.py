"""Options and output shared by the `cscp` commands."""
from __future__ import annotations

import json
from enum import Enum

import typer

DbOption = typer.Option(None, "--db", help="store path (default: $CSCP_DB, else data/cscp.duckdb)")


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def emit(frame, fmt: Format) -> None:
    """A frame as a text table, JSON records or CSV (cells that look like formulas made inert)."""
    import pandas as pd

    from .disclosure import safe_for_spreadsheet

    if fmt is Format.json:
        records = frame.astype(object).where(pd.notna(frame), None).to_dict(orient="records")
        typer.echo(json.dumps(records, indent=2, default=str))
    elif fmt is Format.csv:
        typer.echo(safe_for_spreadsheet(frame).to_csv(index=False), nl=False)
    else:
        typer.echo(frame.to_string(index=False))
