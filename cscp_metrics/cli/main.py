"""The `cscp` command line."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Optional

import typer

from cscp_metrics import council
from cscp_metrics.cli.actions import action_app
from cscp_metrics.cli.assurance import risk_app
from cscp_metrics.cli.audits import audit_app, review_app
from cscp_metrics.cli.init_council import init
from cscp_metrics.cli.output import DbOption, Format, emit, read_only_store
from cscp_metrics.cli.outputs import pack, report
from cscp_metrics.cli.scrutiny import challenge_app, funnel, outliers
from cscp_metrics.cli.section11 import s11_app
from cscp_metrics.cli.workspace import members_app, returns_command, returns_demo_command, templates_command
from cscp_metrics.ready import publish as ready_publish
from cscp_metrics.store import connection as store

ready_publish.register()  # every load, demo, init, benchmarks import from the command line computes the ready figures
app = typer.Typer(
    help="Safeguarding partnership metrics: load data, compute indicators, check published figures.",
    no_args_is_help=True,
    add_completion=False,
)
bench_app = typer.Typer(help="DfE benchmark figures.", no_args_is_help=True)
figures_app = typer.Typer(help="Published figures.", no_args_is_help=True)
app.add_typer(bench_app, name="benchmarks")
app.add_typer(figures_app, name="figures")
app.add_typer(challenge_app, name="challenge")
app.add_typer(members_app, name="members")
app.add_typer(risk_app, name="risk")
app.add_typer(action_app, name="action")
app.add_typer(audit_app, name="audit")
app.add_typer(review_app, name="review")
app.add_typer(s11_app, name="s11")
app.command("templates")(templates_command)
app.command("returns")(returns_command)
app.command("returns-demo")(returns_demo_command)
app.command()(outliers)
app.command()(funnel)
app.command()(init)
app.command()(pack)
app.command()(report)


@app.command()
def load(
    files: list[Path],
    table: str = typer.Option(..., "--table", help="target table, e.g. referrals"),
    db: Optional[Path] = DbOption,
    create: bool = typer.Option(False, "--create", help="start a new, empty store if there is none"),
) -> None:
    """Validate FILE(s) and store each whole, or refuse it whole with row/column messages."""
    from cscp_metrics.store.loading import load_file
    from cscp_metrics.store.publishing import NoStore, new_version

    failed = False
    try:
        with new_version(db, create=create) as con:  # a refusal is recorded in `loads`, so it is published too
            results = [load_file(con, table, path) for path in files]
            for result in results:
                for line in result.messages:
                    typer.echo(line, err=not result.ok)
                failed |= not result.ok
            if any(result.outcome == "loaded" for result in results):  # refusals and duplicates change no figure
                from cscp_metrics.store.aggregates import build as build_aggregates

                typer.echo(f"aggregates rebuilt: {build_aggregates(con):,} measure values by period and breakdown")
    except NoStore as missing:
        typer.echo(f"nothing loaded: {missing}", err=True)
        raise typer.Exit(2) from None
    raise typer.Exit(1 if failed else 0)


@app.command()
def demo(db: Optional[Path] = DbOption, force: bool = typer.Option(False, help="replace an existing store")) -> None:
    """Build the synthetic demo partnership (Camden, calibrated to the 2019-20 annual report)."""
    from cscp_metrics.demo.build import build
    from cscp_metrics.store.publishing import new_version

    path = store.resolve_db_path(db)
    if path.exists() and not force:
        typer.echo(f"{path} already exists; use --force to rebuild it", err=True)
        raise typer.Exit(1)
    started = time.perf_counter()
    # built beside the store and published by a rename: the old store serves until the new one is whole
    with new_version(path, create=True, start_empty=True) as con:
        for line in build(con):
            typer.echo(line)
    typer.echo(f"demo store built at {path} in {time.perf_counter() - started:.1f} s")
    assurance_demo_command(db)


@app.command("assurance-demo")
def assurance_demo_command(db: Optional[Path] = DbOption) -> None:
    """Give the working records the demo's risk register, audits, reviews, section 11 and actions (once)."""
    from cscp_metrics.records import workspace
    from cscp_metrics.records.assurance_demo import seed_beside

    try:
        with workspace.opened(db) as records, read_only_store(db) as con:
            for line in seed_beside(records, con):
                typer.echo(line)
    except workspace.WorkspaceError as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(2) from None


@bench_app.command("import")
def benchmarks_import(
    directory: Optional[Path] = typer.Argument(
        None, help="EES files (default ../shared/reference-data/dfe, else the packaged extract)"
    ),
    db: Optional[Path] = DbOption,
    create: bool = typer.Option(False, "--create", help="start a new store if there is none"),
) -> None:
    """Read DfE published statistics into the store as benchmarks."""
    from cscp_metrics.store import benchmarks
    from cscp_metrics.store.publishing import NoStore, new_version

    default = Path("../shared/reference-data/dfe")
    directory = directory or (default if default.exists() else None)
    try:
        with new_version(db, create=create) as con:
            if directory is None:
                benchmarks.import_extract(con)
                typer.echo("imported the packaged DfE extract")
            else:
                for indicator, rows in benchmarks.import_dfe(con, directory).items():
                    typer.echo(f"{indicator}: {rows} area-years")
            for line in council.resettle(con):  # the council's neighbours and population base, on the new figures
                typer.echo(line)
    except NoStore as missing:
        typer.echo(f"nothing imported: {missing}", err=True)
        raise typer.Exit(2) from None


@bench_app.command("extract")
def benchmarks_extract(
    directory: Path = typer.Argument(Path("../shared/reference-data/dfe")),
    out: Path = typer.Option(None, help="default: the package's reference folder"),
) -> None:
    """Rebuild the compact committed extract of the DfE figures from the EES files."""
    from cscp_metrics.store import benchmarks

    con = store.connect(":memory:")
    benchmarks.import_dfe(con, directory)
    benchmarks.export_extract(con, out or benchmarks.extract_dir())
    typer.echo(f"extract written to {out or benchmarks.extract_dir()}")


@app.command()
def indicators(format: Format = typer.Option(Format.table, "--format")) -> None:
    """List every indicator in the registry with its metadata."""
    import pandas as pd

    from cscp_metrics.indicators.registry import load_registry

    rows = [{**i.model_dump(), "unit": i.unit} for i in load_registry().indicators.values()]
    frame = pd.DataFrame(rows)
    emit(
        frame
        if format is not Format.table
        else frame[["id", "priority_area", "statistic", "unit", "polarity", "title"]],
        format,
    )


@app.command()
def metric(
    indicator_id: str,
    period: str = typer.Option(
        "2019-20",
        help="financial year 2019-20, quarter 2019-20-Q1 "
        "or month Jun 2019 (2011-12 is a financial year: December "
        "2011 is written Dec 2011)",
    ),
    area: Optional[str] = typer.Option(None, help="England, a region by name or code ('Inner London'), sn, an LA"),
    source: Optional[str] = typer.Option(None, help="local (own data) or dfe (DfE published basis)"),
    by: Optional[str] = typer.Option(None, "--by", help="breakdown dimension, e.g. source, month, ward"),
    public: bool = typer.Option(False, "--public", help="apply disclosure control (counts 1-5 as c)"),
    db: Optional[Path] = DbOption,
    format: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Compute one indicator for a period, area and optional breakdown."""
    import pandas as pd

    from cscp_metrics.indicators.disclosure import suppress_breakdown
    from cscp_metrics.indicators.engine import compute
    from cscp_metrics.indicators.periods import ambiguity_note
    from cscp_metrics.indicators.registry import load_registry
    from cscp_metrics.indicators.shown_cells import published

    if note := ambiguity_note(period):  # say which reading was taken, and how the other is written
        typer.echo(note, err=True)
    with read_only_store(db) as con:
        try:
            frame = compute(con, indicator_id, period, area=area, breakdown=by, basis=source)
        except (KeyError, ValueError) as err:
            typer.echo(str(err).strip("'\""), err=True)
            raise typer.Exit(2) from None
        if public and by and area is None and source is None:  # the dashboard's public breakdown, the same cells hidden
            from cscp_metrics.indicators.summary import breakdown

            shown = breakdown(con, indicator_id, period, by, {}, public=True)
        elif public:
            shown = suppress_breakdown(frame, load_registry().indicators[indicator_id].disclosure == "children")
        if base_note := _dfe_base_note(con, indicator_id, period, frame, by, area, source, public):
            typer.echo(base_note, err=True)
        if public:  # 'c' in the hidden cells; counts that were whole numbers printed as before hiding
            whole = tuple(c for c in frame.columns if pd.api.types.is_integer_dtype(frame[c]))
            frame = published(shown, whole).reindex(columns=frame.columns)
        emit(frame, format)


def _dfe_base_note(con, indicator_id: str, period: str, frame, by, area, source, public: bool) -> str:
    """The engine counts a local rate on the partnership's own population; the dashboard shows a rate DfE publishes
    on DfE's (its tile, funnel and signals): say so, with that figure, so the two are not taken for a change. Not
    where the public view hides the count (the note would give it back)."""
    import pandas as pd

    from cscp_metrics.indicators.disclosure import is_small
    from cscp_metrics.indicators.periods import parse_period
    from cscp_metrics.indicators.registry import load_registry
    from cscp_metrics.indicators.summary import format_value, from_dfe, on_comparator_base

    ind = load_registry().indicators[indicator_id]
    if by or area or source or len(frame) != 1 or not (ind.per_population and ind.dfe_reference):
        return ""
    row = frame.iloc[0]
    if public and (bool(row.get("suppressed", False)) or bool(is_small(pd.Series([row["numerator"]])).iloc[0])):
        return ""
    moved = on_comparator_base(con, ind, row, parse_period(period))
    if moved is row or from_dfe(row.get("source", "")):
        return ""
    return (
        f"note: per {ind.multiplier:,.0f} of the partnership's own population base ({float(row['denominator']):,.0f}); "
        f"the dashboard shows it on DfE's population base, as DfE publishes it: {format_value(moved['value'], ind)} "
        f"({float(row['numerator']):,.0f} / {float(moved['denominator']):,.0f}); --source dfe gives DfE's own figure"
    )


@app.command()
def bench(
    scale: str = typer.Option("partnership", "--scale", help="partnership, london (33 LAs) or england (153 LAs)"),
    out: Optional[Path] = typer.Option(None, "--out", help="write the full result as JSON"),
    repeats: int = typer.Option(5, "--repeats", help="runs per timing; the median is reported"),
    workdir: Optional[Path] = typer.Option(None, "--workdir", help="where the synthetic files and stores go"),
) -> None:
    """Generate synthetic data at a scale, load it, and time the engine against pandas, raw SQL and a bare app."""
    from cscp_metrics.bench.report import markdown
    from cscp_metrics.bench.run import run

    result = run(scale, repeats=repeats, workdir=workdir)
    if out:
        out.write_text(json.dumps(result, indent=2, default=str))
    typer.echo(markdown(result))
    raise typer.Exit(0 if result["baselines_agree"] else 1)


@figures_app.command("check")
def figures_check(
    csv_path: Optional[Path] = typer.Argument(None, help="default: the packaged published-figures.csv"),
    db: Optional[Path] = DbOption,
    format: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Every published figure against the computed value, with its basis (row-level, partner return, benchmark,
    constant) and what a match on that basis proves; exit 1 on any mismatch."""
    from dataclasses import asdict

    import pandas as pd

    from cscp_metrics.scrutiny.figures import BASES, STATUSES, check_figures, counts

    with read_only_store(db) as con:
        results = check_figures(con, csv_path)
        mismatches = sum(r.status == "mismatch" for r in results)
        if format is not Format.table:
            emit(pd.DataFrame([asdict(r) for r in results]), format)
            raise typer.Exit(1 if mismatches else 0)
        for result in results:
            typer.echo(result.line())
        totals = {s: sum(r.status == s for r in results) for s in STATUSES}
        typer.echo(
            f"{totals['match']} match, {totals['exception']} documented exceptions, "
            f"{totals['mismatch']} mismatches of {len(results)} figures. By basis:"
        )
        for basis, by_status in counts(results).items():
            typer.echo(
                f"  {basis:>14}: {sum(by_status.values()):>3} figures ({by_status['match']} match, "
                f"{by_status['exception']} exceptions, {by_status['mismatch']} mismatches): {BASES[basis]}"
            )
        raise typer.Exit(1 if mismatches else 0)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
