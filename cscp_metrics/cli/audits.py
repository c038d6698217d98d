"""`cscp audit` and `cscp review`: audits with their grade distribution, practice reviews with their learning
themes, and the progress of the recommendations each made (`cscp action add … --source audit:ID`)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Optional

import pandas as pd
import typer

from cscp_metrics.cli.assurance import AsOf, day, refusals
from cscp_metrics.cli.output import DbOption, Format, emit
from cscp_metrics.cli.workspace import _by, known_agencies
from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.records import audits, workspace
from cscp_metrics.records.refusals import Refused

audit_app = typer.Typer(help="Audits: kind, sample, grade distribution, recommendations.", no_args_is_help=True)
review_app = typer.Typer(
    help="Practice reviews: rapid reviews, LCSPRs, national panel reports; themes.", no_args_is_help=True
)


def _grades(given: list[str]) -> dict[str, int]:
    """`good=5` -> {"good": 5}."""
    out = {}
    for item in given:
        grade, sep, cases = item.partition("=")
        if not sep or not cases.strip().isdigit():
            raise Refused(
                f"--grade {item!r} is not GRADE=CASES, e.g. --grade good=5 (grades: {', '.join(audits.GRADES)})"
            )
        out[grade.strip().lower()] = int(cases)
    return out


@audit_app.command("add")
def audit_add(
    title: str,
    kind: str = typer.Option(..., "--kind", help="multi-agency themed, single-agency or section 11"),
    period: str = typer.Option(..., "--period", help="e.g. 2019-20"),
    agency: list[str] = typer.Option([], "--agency", help="an agency taking part (repeatable)"),
    sample: Optional[int] = typer.Option(None, "--sample", help="cases audited"),
    grade: list[str] = typer.Option([], "--grade", help="GRADE=CASES, e.g. good=5 (repeatable)"),
    findings: Optional[str] = typer.Option(None, "--findings"),
    area: Optional[str] = typer.Option(None, "--area"),
    public: bool = typer.Option(False, "--public"),
    db: Optional[Path] = DbOption,
) -> None:
    """Record an audit; refused whole (exit 2) for an unknown kind, agency or grade, or grades beyond the sample."""
    with refusals(), workspace.opened(db) as records:
        audit_id = audits.add_audit(
            records,
            {
                "kind": kind,
                "title": title,
                "period": period,
                "agencies": tuple(agency),
                "sample_size": sample,
                "grades": _grades(grade),
                "findings": findings,
                "area": area,
                "public": public,
            },
            _by(),
            load_registry(),
            known_agencies(db),
        )
    typer.echo(f"audit #{audit_id} recorded")


@review_app.command("add")
def review_add(
    title: str,
    kind: str = typer.Option(
        ..., "--kind", help="rapid review, local child safeguarding practice review or national panel report"
    ),
    held_on: str = typer.Option(..., "--date", help="YYYY-MM-DD"),
    theme: list[str] = typer.Option([], "--theme", help="a learning theme (repeatable)"),
    summary: Optional[str] = typer.Option(None, "--summary"),
    area: Optional[str] = typer.Option(None, "--area"),
    public: bool = typer.Option(False, "--public"),
    db: Optional[Path] = DbOption,
) -> None:
    """Record a practice review and its learning themes."""
    with refusals(), workspace.opened(db) as records:
        review_id = audits.add_review(
            records,
            {
                "kind": kind,
                "title": title,
                "held_on": held_on,
                "themes": tuple(theme),
                "summary": summary,
                "area": area,
                "public": public,
            },
            _by(),
            load_registry(),
        )
    typer.echo(f"practice review #{review_id} recorded")


def _list(kind: str, as_of: str | None, db: Path | None, format: Format) -> None:
    with refusals():
        today = day(as_of, "--as-of") or date.today()
        with workspace.opened(db) as records:
            entries = audits.listed(records, kind, today)
    if format is Format.json:
        typer.echo(json.dumps(entries, indent=2, default=str))
    elif not entries:
        typer.echo(f"No {kind}s recorded yet.")
    else:
        emit(
            pd.DataFrame(
                [
                    {"id": e[f"{kind}_id"], kind: e["title"], "kind": e["kind"], "recommendations": e["progress"]}
                    for e in entries
                ]
            ),
            format,
        )


def _show(kind: str, record_id: int, as_of: str | None, db: Path | None) -> None:
    with refusals():
        today = day(as_of, "--as-of") or date.today()
        with workspace.opened(db) as records:
            entry = (audits.audit_entry if kind == "audit" else audits.review_entry)(records, record_id, today)
            entry["history"] = audits.history.changes(records, kind, record_id)
    typer.echo(json.dumps(entry, indent=2, default=str))


@audit_app.command("list")
def audit_list(
    as_of: Optional[str] = AsOf, db: Optional[Path] = DbOption, format: Format = typer.Option(Format.table, "--format")
) -> None:
    """Audits with their recommendations' progress."""
    _list("audit", as_of, db, format)


@audit_app.command("show")
def audit_show(audit_id: int, as_of: Optional[str] = AsOf, db: Optional[Path] = DbOption) -> None:
    """One audit as JSON: grade distribution, agencies, recommendations, history."""
    _show("audit", audit_id, as_of, db)


@review_app.command("list")
def review_list(
    as_of: Optional[str] = AsOf, db: Optional[Path] = DbOption, format: Format = typer.Option(Format.table, "--format")
) -> None:
    """Practice reviews with their themes and recommendations' progress."""
    _list("review", as_of, db, format)


@review_app.command("show")
def review_show(review_id: int, as_of: Optional[str] = AsOf, db: Optional[Path] = DbOption) -> None:
    """One practice review as JSON: themes, recommendations, history."""
    _show("review", review_id, as_of, db)
