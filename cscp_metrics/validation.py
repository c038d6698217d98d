"""Vectorised contract checks: each rule is one SQL SELECT over the staging table."""
from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .contracts import ColumnRule, TableContract
from .file_reading import STAGING

MAX_LISTED = 20
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_ISO_DATETIME = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$"


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def typed_expr(rule: ColumnRule, col: str | None = None) -> str:
    """SQL turning the staged text into the column's type (NULL when empty or unparseable)."""
    v = f"nullif(trim({_q(col or rule.name)}), '')"
    return {
        "text": v,
        "date": f"try_cast({v} AS DATE)",
        "datetime": f"try_cast(replace({v}, 'T', ' ') AS TIMESTAMP)",
        "bool": f"CASE lower({v}) WHEN 'true' THEN true WHEN 'false' THEN false END",
        "number": f"try_cast({v} AS DOUBLE)",
        "integer": f"try_cast({v} AS BIGINT)",
    }[rule.type] if not rule.allowed else f"lower({v})"


def _rule_checks(rule: ColumnRule, contract: TableContract, present: set[str]) -> list[tuple[str, str]]:
    """(condition that marks a bad row, message) pairs for one column."""
    raw = f"nullif(trim({_q(rule.name)}), '')"
    typed = typed_expr(rule)
    shown = f"' (value ''' || left({raw}, 40) || ''')'"
    checks: list[tuple[str, str]] = []
    if rule.required:
        checks.append((f"{raw} IS NULL", "'is empty'"))
    kind = {"date": ("an ISO date YYYY-MM-DD", _ISO_DATE), "datetime": ("an ISO date-time YYYY-MM-DDTHH:MM", _ISO_DATETIME)}
    if rule.type in kind:
        label, pattern = kind[rule.type]
        checks.append((f"{raw} IS NOT NULL AND (NOT regexp_matches({raw}, {_lit(pattern)}) OR {typed} IS NULL)",
                       f"'is not {label}' || {shown}"))
    elif rule.type == "bool":
        checks.append((f"{raw} IS NOT NULL AND {typed} IS NULL", f"'must be true or false' || {shown}"))
    elif rule.type in ("number", "integer"):
        checks.append((f"{raw} IS NOT NULL AND {typed} IS NULL", f"'is not a {'whole ' if rule.type == 'integer' else ''}number' || {shown}"))
    if rule.allowed:
        allowed = ", ".join(_lit(a) for a in rule.allowed)
        checks.append((f"{raw} IS NOT NULL AND lower({raw}) NOT IN ({allowed})",
                       f"'is not one of {', '.join(rule.allowed)}' || {shown}"))
    if rule.not_future:
        now = "current_date" if rule.type == "date" else "now()::TIMESTAMP"
        checks.append((f"{typed} > {now}", f"'is in the future' || {shown}"))
    if rule.not_before:
        checks.append((f"{typed} < DATE {_lit(rule.not_before)}", f"'is before {rule.not_before}' || {shown}"))
    if rule.minimum is not None:
        checks.append((f"{typed} < {rule.minimum}", f"'is below the minimum {rule.minimum:g}' || {shown}"))
    if rule.after_column and rule.after_column in present:
        other = typed_expr(contract.column(rule.after_column))
        checks.append((f"{typed} IS NOT NULL AND {other} IS NOT NULL AND {typed} <= {other}",
                       f"'must be after {rule.after_column}' || {shown}"))
    return checks


def _unique_checks(con: duckdb.DuckDBPyConnection, rule: ColumnRule, contract: TableContract) -> list[str]:
    """Values already in the table from earlier loads, and duplicates within the file. The duplicates window
    sorts every value, so a hash count first says whether there is anything to find."""
    col = _q(rule.name)
    checks = [
        f"SELECT s.rowid + 1, {_lit(rule.name)}, 'was already loaded in an earlier file (value ''' || left(trim(s.{col}), 40) || ''')' "
        f"FROM {STAGING} s WHERE trim(s.{col}) IN (SELECT {col} FROM {contract.table})"]
    if con.execute(f"SELECT count({col}) - count(DISTINCT trim({col})) FROM {STAGING}").fetchone()[0]:
        checks.append(
            f"SELECT row, {_lit(rule.name)}, 'duplicates row ' || first_row || ' (value ''' || left(v, 40) || ''')' "
            f"FROM (SELECT rowid + 1 AS row, trim({col}) AS v, min(rowid + 1) OVER (PARTITION BY trim({col})) AS first_row "
            f"FROM {STAGING} WHERE {col} IS NOT NULL) WHERE row > first_row")
    return checks


def find_problems(con: duckdb.DuckDBPyConnection, contract: TableContract, present: set[str]) -> tuple[list[Problem], int, int]:
    """Return (first problems, total problems, bad rows)."""
    selects = []
    for rule in contract.all_columns():
        if rule.name not in present:
            continue
        for condition, message in _rule_checks(rule, contract, present):
            selects.append(f"SELECT rowid + 1 AS row, {_lit(rule.name)} AS col, {message} AS msg "
                           f"FROM {STAGING} WHERE {condition}")
        if rule.unique:
            selects += _unique_checks(con, rule, contract)
    if not selects:
        return [], 0, 0
    union = " UNION ALL ".join(selects)
    con.execute(f"CREATE OR REPLACE TEMP TABLE __problems AS {union}")
    total, bad_rows = con.execute("SELECT count(*), count(DISTINCT row) FROM __problems").fetchone()
    first = con.execute(f"SELECT row, col, msg FROM __problems ORDER BY row, col LIMIT {MAX_LISTED}").fetchall()
    con.execute("DROP TABLE __problems")
    return [Problem(int(r), c, m) for r, c, m in first], int(total), int(bad_rows)
