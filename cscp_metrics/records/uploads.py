"""A return uploaded in the browser: recognise its table, check the uploader may load it, then the same
all-or-nothing loader as `cscp load`, published as a new store version, recorded with who uploaded it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from cscp_metrics.records.members import Role
from cscp_metrics.store.contracts import CONTRACTS
from cscp_metrics.store.file_reading import STAGING, FileRefused, read_into_staging, staged_column
from cscp_metrics.store.statements import first_row, scalar

MAX_UPLOAD_MB = 50
_PROBLEM = re.compile(
    r"^(?P<file>.+?): row (?P<row>\d+), column (?P<column>[^:]+): (?P<problem>.*?)"
    r"(?: \(value '(?P<value>.*?)'\))?(?P<more>; [^()']*)?$",
    re.DOTALL,
)


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str
    problem: str
    value: str


@dataclass(frozen=True)
class UploadOutcome:
    file_name: str
    table: str | None
    outcome: str  # loaded | refused | duplicate | not allowed
    rows: int = 0
    load_id: int | None = None
    periods: tuple[str, ...] = ()  # financial years (and quarters for partner returns) the new rows cover
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.outcome in ("loaded", "duplicate")


@dataclass(frozen=True)
class FileSummary:
    columns: tuple[str, ...]
    agencies: frozenset[str]  # values of an `agency` column, lower-cased
    refusal: str | None = None  # the file cannot be read as a table at all
    span: tuple[date | None, date | None] = (None, None)  # earliest period_start, latest period_end


def inspect(path: Path) -> FileSummary:
    """Read the file into a private scratch database: its header, and whose rows it holds."""
    con = duckdb.connect(":memory:")
    try:
        columns = read_into_staging(con, path)
        col = {name: staged_column(i) for i, name in enumerate(columns)}  # staged by position, never by header
        agencies = (
            frozenset(
                r[0]
                for r in con.execute(
                    f"SELECT DISTINCT lower(trim({col['agency']})) FROM {STAGING} WHERE {col['agency']} IS NOT NULL"
                ).fetchall()
            )
            if "agency" in col
            else frozenset()
        )
        span = (
            first_row(
                con,
                f"SELECT min(try_cast(trim({col['period_start']}) AS DATE)), "
                f"max(try_cast(trim({col['period_end']}) AS DATE)) FROM {STAGING}",
            )
            if {"period_start", "period_end"} <= set(col)
            else (None, None)
        )
        return FileSummary(tuple(columns), agencies, span=(span[0], span[1]))
    except FileRefused as refusal:
        return FileSummary((), frozenset(), str(refusal))
    finally:
        con.close()


def recognise_table(columns: tuple[str, ...] | list[str]) -> str | None:
    """The table whose required columns the header holds; the most specific wins, a tie recognises none."""
    header = {c.strip() for c in columns}
    fits = sorted(
        ((len(c.columns), t) for t, c in CONTRACTS.items() if all(r.name in header for r in c.columns)), reverse=True
    )
    if not fits or (len(fits) > 1 and fits[0][0] == fits[1][0]):
        return None
    return fits[0][1]


def permission_problem(role: Role | None, table: str, agencies: frozenset[str]) -> str | None:
    """Why this person may not load this table (None: they may)."""
    if role is None or not role.uploads:
        return "only analysts and agency members can upload returns"
    if role.kind == "analyst":
        return None
    if table != "partner_returns":
        return f"as a {role.label} you can upload partner_returns only; {table} is the council's table"
    others = sorted(agencies - {role.agency})
    if others:
        return f"as a {role.label} you can load only {role.agency}'s returns; the file has rows for {', '.join(others)}"
    return None


def problems_of(messages: tuple[str, ...], file_name: str) -> tuple[tuple[Problem, ...], tuple[str, ...]]:
    """The loader's messages as table rows (file, row, column, problem, value) and the summary lines."""
    rows, notes = [], []
    for line in messages:
        found = _PROBLEM.match(line)
        if found:
            rows.append(
                Problem(
                    found["file"],
                    int(found["row"]),
                    found["column"],
                    found["problem"] + (found["more"] or ""),
                    found["value"] or "",
                )
            )
        elif "refused whole" in line or "more problems" in line:
            notes.append(line)
        else:
            rows.append(Problem(file_name, None, "", line.removeprefix(f"{file_name}: "), ""))
    return tuple(rows), tuple(notes)


def safe_file_name(name: str) -> str:
    """The uploaded file's own name, kept for the load log, reduced to a plain file name."""
    cleaned = re.sub(r"[^\w.\- ]", "_", Path(name.replace("\\", "/")).name).lstrip(". ")
    return cleaned[-120:] or "upload"


def upload(db: str | Path | None, path: Path, table: str, role: Role | None, uploaded_by: str) -> UploadOutcome:
    """Check, then load through `cscp load`'s loader in a new store version; a refusal stores no data (the
    refusal itself is recorded in `loads`, like any refused load)."""
    from cscp_metrics.store.aggregates import build as build_aggregates
    from cscp_metrics.store.loading import load_file
    from cscp_metrics.store.publishing import new_version

    summary = inspect(path)
    denied = None if summary.refusal else permission_problem(role, table, summary.agencies)
    if denied:
        return UploadOutcome(
            path.name,
            table,
            "not allowed",
            problems=(Problem(path.name, None, "", denied, ""),),
            notes=(f"{path.name}: not loaded; nothing was stored",),
        )
    with new_version(db) as con:
        before = scalar(con, "SELECT coalesce(max(load_id), 0) FROM loads")
        result = load_file(con, table, path)
        con.execute("UPDATE loads SET loaded_by = ? WHERE load_id > ?", [uploaded_by, before])
        periods: tuple[str, ...] = ()
        if result.outcome == "loaded":
            build_aggregates(con)
            periods = periods_covered(con, table, result.load_id)
    problems, notes = problems_of(result.messages, path.name) if not result.ok else ((), result.messages)
    _record_attempt(
        db,
        table,
        role,
        summary,
        result.outcome,
        "; ".join(p.problem for p in problems[:3]) or None,
        result.load_id,
        uploaded_by,
    )
    return UploadOutcome(path.name, table, result.outcome, result.rows, result.load_id, periods, problems, notes)


def periods_covered(con: duckdb.DuckDBPyConnection, table: str, load_id: int | None) -> tuple[str, ...]:
    """Financial years of the new rows (by the table's first date column), with quarters for partner returns."""
    date_column = next((c.name for c in CONTRACTS[table].columns if c.type in ("date", "datetime")), None)
    if date_column is None or load_id is None:
        return ()
    fy = f'year("{date_column}") - (month("{date_column}") < 4)::INT'
    quarter = f'((month("{date_column}") + 8) % 12) // 3 + 1'
    label = f"printf('%d-%02d', {fy}, ({fy} + 1) % 100)" + (
        f" || '-Q' || {quarter}" if table == "partner_returns" else ""
    )
    found = con.execute(
        f'SELECT DISTINCT {label} AS p FROM {table} WHERE load_id = ? AND "{date_column}" IS NOT NULL ORDER BY p',
        [load_id],
    ).fetchall()
    return tuple(r[0] for r in found)


def _record_attempt(
    db,
    table: str,
    role: Role | None,
    summary: FileSummary,
    outcome: str,
    reason: str | None,
    load_id: int | None,
    by: str,
) -> None:
    """A partner return's attempt, for its agency's return status (failed = last attempt refused)."""
    from cscp_metrics.records import returns_status, workspace

    agency = (
        role.agency
        if role and role.kind == "agency"
        else (next(iter(summary.agencies)) if len(summary.agencies) == 1 else None)
    )
    if table != "partner_returns" or agency is None:
        return
    with workspace.opened(db) as records:
        returns_status.record_attempt(records, agency, summary.span, outcome, reason, load_id, by)
