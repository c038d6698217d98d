"""`cscp load`: validate a file against its table contract and store it whole, or refuse it whole."""

from __future__ import annotations

import getpass
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from cscp_metrics.store.contracts import CONTRACTS
from cscp_metrics.store.file_reading import STAGING, FileRefused, read_into_staging, shown, staged_column
from cscp_metrics.store.sql_quoting import identifier
from cscp_metrics.store.statements import scalar, transaction
from cscp_metrics.store.validation import MAX_LISTED, Problem, find_problems, typed_expr


@dataclass(frozen=True)
class LoadResult:
    file_name: str
    table: str
    outcome: str  # loaded | refused | duplicate
    rows: int = 0
    load_id: int | None = None
    messages: tuple[str, ...] = ()
    extra_columns: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.outcome != "refused"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _record(
    con: duckdb.DuckDBPyConnection,
    table: str,
    path: Path,
    sha: str,
    outcome: str,
    rows: int,
    summary: str | None,
    extra: tuple[str, ...],
) -> int:
    load_id = scalar(con, "SELECT nextval('load_id_seq')")
    con.execute(
        "INSERT INTO loads VALUES (?, ?, ?, ?, ?, now(), now(), ?, ?, ?, ?)",
        [load_id, table, path.name, sha, rows, outcome, summary, getpass.getuser(), ", ".join(extra) or None],
    )
    return int(load_id)


def _format(path: Path, problems: list[Problem], total: int, bad_rows: int) -> tuple[str, ...]:
    lines = [f"{path.name}: row {p.row}, column {p.column}: {p.message}" for p in problems]
    if total > len(problems):
        lines.append(
            f"{path.name}: … and {total - len(problems)} more problems "
            f"({bad_rows} bad rows in all; the first {MAX_LISTED} are listed)"
        )
    lines.append(f"{path.name}: refused whole; nothing from it was stored")
    return tuple(lines)


def load_file(con: duckdb.DuckDBPyConnection, table: str, path: str | Path) -> LoadResult:
    path = Path(path)
    contract = CONTRACTS.get(table)
    if contract is None:
        return LoadResult(
            path.name,
            table,
            "refused",
            messages=(f"unknown table '{table}'; choose one of: {', '.join(sorted(CONTRACTS))}",),
        )
    try:
        sha = file_sha256(path) if path.is_file() else ""
    except OSError as err:  # unreadable: permissions, a vanished mount
        message = f"{path.name}: cannot be read: {shown(err.strerror or str(err), 200)}"
        _record(con, table, path, "", "refused", 0, message, ())
        return LoadResult(path.name, table, "refused", messages=(message,))
    earlier = con.execute(
        "SELECT load_id, finished_at FROM loads WHERE sha256 = ? AND table_name = ? AND outcome = 'loaded'",
        [sha, table],
    ).fetchone()
    if earlier:
        _record(con, table, path, sha, "duplicate", 0, f"same content as load {earlier[0]}", ())
        return LoadResult(
            path.name,
            table,
            "duplicate",
            load_id=earlier[0],
            messages=(
                f"{path.name}: already loaded into {table} as load {earlier[0]} ({earlier[1]:%Y-%m-%d %H:%M}); nothing changed",
            ),
        )
    try:
        columns = read_into_staging(con, path, clean={c.name for c in contract.all_columns()})
    except FileRefused as refusal:
        _record(con, table, path, sha, "refused", 0, str(refusal), ())
        return LoadResult(path.name, table, "refused", messages=(str(refusal),))

    present = set(columns)
    missing = [c.name for c in contract.columns if c.name not in present]
    if missing:
        hint = ""
        if len(columns) == 1 and any(d in columns[0] for d in ";\t|"):
            hint = " The header looks like one column: is the file delimited by something other than commas?"
        near = [f"'{shown(c)}' for {m}" for m in missing for c in columns if c.lower() == m.lower()]
        if near:
            hint += f" Column names are matched exactly, in lower case: found {', '.join(near)}."
        found = ", ".join(shown(c) for c in columns[:40]) + (
            f" and {len(columns) - 40} more" if len(columns) > 40 else ""
        )
        message = f"{path.name}: missing required column(s) {', '.join(missing)}; found {found}.{hint}"
        _record(con, table, path, sha, "refused", 0, message, ())
        return LoadResult(path.name, table, "refused", messages=(message,))

    problems, total, bad_rows = find_problems(con, contract, columns)
    if total:
        lines = _format(path, problems, total, bad_rows)
        _record(con, table, path, sha, "refused", 0, "\n".join(lines[:5]), ())
        return LoadResult(path.name, table, "refused", messages=lines)

    known = contract.all_columns()
    position = {name: i for i, name in enumerate(columns)}
    extra = tuple(c for c in columns if c not in {k.name for k in known})
    rows = scalar(con, f"SELECT count(*) FROM {STAGING}")
    # Extra columns go into one JSON object; their names are bound as parameters, never written into the SQL.
    extra_sql = (
        ("json_object(" + ", ".join(f"?, {staged_column(position[e])}" for e in extra) + ")") if extra else "NULL"
    )
    try:
        with transaction(con):
            load_id = _record(con, table, path, sha, "loaded", rows, None, extra)
            target_cols = [c.name for c in known] + ["load_id", "extra"]
            values = [typed_expr(c, staged_column(position[c.name])) if c.name in present else "NULL" for c in known]
            select = ", ".join(values + [str(load_id), extra_sql])
            con.execute(
                f"INSERT INTO {identifier(table)} ({', '.join(identifier(c) for c in target_cols)}) "
                f"SELECT {select} FROM {STAGING}",
                list(extra),
            )  # a scan keeps file order
    except duckdb.Error as err:  # validation should make this unreachable; refuse rather than fail half-way
        message = f"{path.name}: refused whole; the store could not take it: {shown(str(err).splitlines()[0], 200)}"
        _record(con, table, path, sha, "refused", 0, message, ())
        return LoadResult(path.name, table, "refused", messages=(message,))
    finally:
        con.execute(f"DROP TABLE IF EXISTS {STAGING}")
    notes = [f"{path.name}: loaded {rows:,} rows into {table} as load {load_id}"]
    if extra:
        notes.append(f"{path.name}: kept extra column(s) {', '.join(map(shown, extra))} in {table}.extra (JSON)")
    return LoadResult(path.name, table, "loaded", rows, load_id, tuple(notes), extra)
