"""The `cscp` command line."""
from __future__ import annotations

import json
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from . import store

app = typer.Typer(help="Safeguarding partnership metrics: load data, compute indicators, check published figures.",
                  no_args_is_help=True, add_completion=False)
bench_app = typer.Typer(help="DfE benchmark figures.", no_args_is_help=True)
figures_app = typer.Typer(help="Published figures.", no_args_is_help=True)
app.add_typer(bench_app, name="benchmarks")
app.add_typer(figures_app, name="figures")
DbOption = typer.Option(None, "--db", help="store path (default: $CSCP_DB, else data/cscp.duckdb)")


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command()
def load(files: list[Path], table: str = typer.Option(..., "--table", help="target table, e.g. referrals"),
         db: Optional[Path] = DbOption) -> None:
    """Validate FILE(s) and store each whole, or refuse it whole with row/column messages."""
    from .loading import load_file

    con = store.connect(db)
    failed = False
    for path in files:
        result = load_file(con, table, path)
        for line in result.messages:
            typer.echo(line, err=not result.ok)
        failed |= not result.ok
    con.close()
    raise typer.Exit(1 if failed else 0)


@app.command()
def demo(db: Optional[Path] = DbOption, force: bool = typer.Option(False, help="replace an existing store")) -> None:
    """Build the synthetic demo partnership (Camden, calibrated to the 2019-20 annual report)."""
    from .demo.build import build

    path = store.resolve_db_path(db)
    if path.exists():
        if not force:
            typer.echo(f"{path} already exists; use --force to rebuild it", err=True)
            raise typer.Exit(1)
        path.unlink()
    started = time.perf_counter()
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    con = store.connect(tmp)
    for line in build(con):
        typer.echo(line)
    con.close()
    tmp.replace(path)
    typer.echo(f"demo store built at {path} in {time.perf_counter() - started:.1f} s")


@bench_app.command("import")
def benchmarks_import(directory: Optional[Path] = typer.Argument(None, help="EES files (default ../shared/reference-data/dfe, else the packaged extract)"),
                      db: Optional[Path] = DbOption) -> None:
    """Read DfE published statistics into the store as benchmarks."""
    from . import benchmarks

    con = store.connect(db)
    default = Path("../shared/reference-data/dfe")
    directory = directory or (default if default.exists() else None)
    if directory is None:
        benchmarks.import_extract(con)
        typer.echo("imported the packaged DfE extract")
    else:
        for indicator, rows in benchmarks.import_dfe(con, directory).items():
            typer.echo(f"{indicator}: {rows} area-years")


@bench_app.command("extract")
def benchmarks_extract(directory: Path = typer.Argument(Path("../shared/reference-data/dfe")),
                       out: Path = typer.Option(None, help="default: the package's reference folder")) -> None:
    """Rebuild the compact committed extract of the DfE figures from the EES files."""
    from . import benchmarks

    con = store.connect(":memory:")
    benchmarks.import_dfe(con, directory)
    benchmarks.export_extract(con, out or benchmarks.extract_dir())
    typer.echo(f"extract written to {out or benchmarks.extract_dir()}")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
