"""`cscp init --la CODE_OR_NAME`: a working store for any English council from public DfE data alone."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer

from cscp_metrics.cli.output import DbOption
from cscp_metrics.store import connection as store


def init(
    la: str = typer.Option(..., "--la", help="the council: ONS code (E10000016) or DfE name ('Kent'), any case"),
    db: Optional[Path] = DbOption,
    force: bool = typer.Option(False, help="replace an existing store"),
) -> None:
    """Build a store for one council: its identity, neighbours, every DfE indicator for every published year and
    ONS populations. Add the partnership's own returns afterwards with `cscp load`."""
    from cscp_metrics.council import UnknownCouncil
    from cscp_metrics.store.council_init import build
    from cscp_metrics.store.publishing import new_version

    path = store.resolve_db_path(db)
    if path.exists() and not force:
        typer.echo(f"{path} already exists; use --force to replace it", err=True)
        raise typer.Exit(1)
    started = time.perf_counter()
    try:
        with new_version(path, create=True, start_empty=True) as con:  # the old store serves until this one is whole
            lines = build(con, la)
    except UnknownCouncil as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(2) from None
    for line in lines:
        typer.echo(line)
    typer.echo(
        f"store built at {path} in {time.perf_counter() - started:.1f} s; "
        f"open it with: CSCP_DB={path} streamlit run app.py"
    )
