"""`cscp s11`: section 11 self-assessments imported from the template and compared across agencies and rounds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import pandas as pd
import typer

from cscp_metrics.cli.assurance import refusals
from cscp_metrics.cli.output import DbOption, Format, emit
from cscp_metrics.cli.workspace import _by, known_agencies
from cscp_metrics.records import section11, section11_compare, workspace

s11_app = typer.Typer(help="Section 11 self-assessments: RAG per standard per agency, by round.", no_args_is_help=True)


@s11_app.command("import")
def s11_import(files: list[Path], db: Optional[Path] = DbOption) -> None:
    """Import agencies' self-assessments (data/templates/section_11.xlsx filled in), each file whole or not at
    all: every problem is listed with its file, row and column (exit 2)."""
    failed = False
    for path in files:
        try:
            with workspace.opened(db) as records:
                agency, round, _ = section11.import_file(records, path, _by(), known_agencies(db))
            typer.echo(f"{path.name}: {agency}, round {round}: {len(section11.STANDARDS)} standards imported")
        except (section11.Refused, workspace.WorkspaceError, OSError) as err:
            typer.echo(str(err), err=True)
            failed = True
    raise typer.Exit(2 if failed else 0)


@s11_app.command("compare")
def s11_compare(
    round: Optional[str] = typer.Option(None, "--round", help="default: the latest"),
    db: Optional[Path] = DbOption,
    format: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Each standard across agencies, with each rating against the previous round."""
    with refusals(), workspace.opened(db) as records:
        compared = section11_compare.compare(records, round)
    if format is Format.json:
        typer.echo(json.dumps(compared, indent=2, default=str))
        return
    if not compared["rows"]:
        typer.echo(
            "No section 11 self-assessments yet: fill in data/templates/section_11.xlsx and `cscp s11 import` it."
        )
        return
    typer.echo(
        f"Section 11 round {compared['round']}"
        + (f", against {compared['previous_round']}" if compared["previous_round"] else "")
    )
    frame = pd.DataFrame(compared["rows"])
    frame["rating"] = frame["rating"] + " (" + frame["change"] + ")"
    emit(frame.pivot(index="standard", columns="agency", values="rating").reset_index(), format)
    emit(pd.DataFrame(compared["agencies"]), format)
