"""Vectorised contract checks: each rule is one SQL SELECT over the staging table.

Staged columns are named by position (file_reading.staged_column); a rule reports the column's position, and
its name is looked up in Python, so no name or value from the file is ever written into the SQL."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from cscp_metrics.store.contracts import ColumnRule, TableContract
from cscp_metrics.store.file_reading import STAGING, shown, staged_column
from cscp_metrics.store.sql_quoting import identifier, literal
from cscp_metrics.store.statements import first_row, scalar

MAX_LISTED = 20
_ISO_DATE = r"\d{4}-\d{2}-\d{2}"
_ISO_DATETIME = r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?"
_WHOLE = r"[+-]?[0-9]+(\.0*)?"  # 16 and 16.0 (a whole number written by a float column), never 15.6
_NUMBER = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"
_IDENTIFIER = r"[A-Za-z0-9][A-Za-z0-9_./-]{0,63}"
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_LIST_CODES_UP_TO = 12


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


def typed_expr(rule: ColumnRule, col: str) -> str:
    """SQL turning staged column `col` (trimmed, NULL when empty: read_into_staging's `clean`) into the rule's
    type (NULL when unparseable)."""
    v = col
    return (
        {
            "text": v,
            "date": f"try_cast({v} AS DATE)",
            "datetime": f"try_cast(replace({v}, 'T', ' ') AS TIMESTAMP)",
            "bool": f"CASE lower({v}) WHEN 'true' THEN true WHEN 'false' THEN false END",
            "number": f"try_cast({v} AS DOUBLE)",
            "integer": f"try_cast({v} AS INTEGER)",
        }[rule.type]
        if not rule.allowed
        else f"lower({v})"
    )


def _type_checks(rule: ColumnRule, raw: str, typed: str, shown_value: str) -> list[tuple[str, str]]:
    kind = {
        "date": ("an ISO date YYYY-MM-DD", _ISO_DATE),
        "datetime": ("an ISO date-time YYYY-MM-DDTHH:MM", _ISO_DATETIME),
    }
    if rule.type in kind:
        label, pattern = kind[rule.type]
        return [
            (
                f"{raw} IS NOT NULL AND (NOT regexp_full_match({raw}, {literal(pattern)}) OR {typed} IS NULL)",
                f"'is not {label}' || {shown_value}",
            )
        ]
    if rule.type == "bool":
        return [(f"{raw} IS NOT NULL AND {typed} IS NULL", f"'must be true or false' || {shown_value}")]
    if rule.type == "integer":
        return [
            (
                f"{raw} IS NOT NULL AND (NOT regexp_full_match({raw}, {literal(_WHOLE)}) OR {typed} IS NULL)",
                f"'is not a whole number (digits only, no decimals, hex or separators)' || {shown_value}",
            )
        ]
    if rule.type == "number":
        return [
            (
                f"{raw} IS NOT NULL AND NOT regexp_full_match({raw}, {literal(_NUMBER)})",
                f"'is not a number' || {shown_value}",
            ),
            (
                f"regexp_full_match({raw}, {literal(_NUMBER)}) AND NOT isfinite({typed})",
                f"'is too large to be a number' || {shown_value}",
            ),
        ]
    return []


def _rule_checks(rule: ColumnRule, contract: TableContract, staged: dict[str, str]) -> list[tuple[str, str]]:
    """(condition that marks a bad row, message) pairs for one column."""
    raw = staged[rule.name]  # trimmed, NULL when empty
    typed = typed_expr(rule, staged[rule.name])
    shown_value = f"' (value ''' || left({raw}, 40) || ''')'"
    checks: list[tuple[str, str]] = []
    if rule.required:
        checks.append((f"{raw} IS NULL", "'is empty'"))
    if rule.identifier:
        checks.append(
            (
                f"{raw} IS NOT NULL AND NOT regexp_full_match({raw}, {literal(_IDENTIFIER)})",
                f"'is not an id: use letters, digits and _ - . / only, up to 64 characters' || {shown_value}",
            )
        )
    checks += _type_checks(rule, raw, typed, shown_value)
    if rule.allowed:
        allowed = ", ".join(literal(a) for a in rule.allowed)
        listed = (
            f"one of {', '.join(rule.allowed)}"
            if len(rule.allowed) <= _LIST_CODES_UP_TO
            else f"one of the {len(rule.allowed)} codes {rule.allowed_source}"
        )
        checks.append(
            (
                f"{raw} IS NOT NULL AND lower({raw}) NOT IN ({allowed})",
                f"{literal('is not ' + listed)} || {shown_value}",
            )
        )
    if rule.not_future:
        now = "current_date" if rule.type == "date" else "now()::TIMESTAMP"
        checks.append((f"{typed} > {now}", f"'is in the future' || {shown_value}"))
    if rule.not_before:
        checks.append(
            (
                f"{typed} < DATE {literal(rule.not_before)}",
                f"{literal('is before ' + rule.not_before)} || {shown_value}",
            )
        )
    if rule.minimum is not None:
        checks.append((f"{typed} < {rule.minimum}", f"'is below the minimum {rule.minimum:g}' || {shown_value}"))
    for other_name, strict in ((rule.after_column, True), (rule.not_before_column, False)):
        if other_name and other_name in staged:
            other = typed_expr(contract.column(other_name), staged[other_name])
            words = f"must be after {other_name}" if strict else f"is before {other_name}"
            checks.append(
                (
                    f"{typed} IS NOT NULL AND {other} IS NOT NULL AND {typed} {'<=' if strict else '<'} {other}",
                    f"{literal(words)} || {shown_value} || {literal('; ' + other_name + ' is ')} || {other}::VARCHAR",
                )
            )
    return checks


def _control_check(col: str) -> str:
    """Any cell of any column (extras too) holding a NUL or another control character; tab, CR and LF may be
    quoted inside text. The character is counted in the value as the checks read it (a table's own columns
    trimmed: trim keeps control characters, so none is missed)."""
    found = f"regexp_extract({col}, {literal(_CONTROL)})"
    return (
        f"CASE WHEN regexp_matches({col}, {literal(_CONTROL)}) THEN 'contains a control character ('"
        f" || printf('U+%04X', ord({found})) || ') at character ' || strpos({col}, {found}) END"
    )


def _columns_with_control_characters(con: duckdb.DuckDBPyConnection, n_columns: int) -> list[int]:
    """Positions of the columns holding a control character anywhere: one scan of the whole file first,
    so a clean file with hundreds of columns costs one query, not one per column."""
    everything = "concat(" + ", ".join(staged_column(i) for i in range(n_columns)) + ")"
    if not scalar(con, f"SELECT count(*) FROM {STAGING} WHERE regexp_matches({everything}, {literal(_CONTROL)})"):
        return []
    per_column = ", ".join(
        f"bool_or(regexp_matches({staged_column(i)}, {literal(_CONTROL)}))" for i in range(n_columns)
    )
    hits = first_row(con, f"SELECT {per_column} FROM {STAGING}")
    return [i for i, hit in enumerate(hits) if hit]


def _unique_checks(
    con: duckdb.DuckDBPyConnection, rule: ColumnRule, contract: TableContract, col: str, position: int
) -> list[str]:
    """Values already in the table from earlier loads, and duplicates within the file, ignoring upper/lower case
    (C1 and c1 are one child to a reader). The duplicates window sorts every value, so a hash count first says
    whether there is anything to find."""
    stored = identifier(rule.name)
    checks = [
        (
            f"SELECT s.rowid + 1, {position}, 'was already loaded in an earlier file (value ''' || left(s.{col}, 40) || '''' "
            f"|| CASE WHEN s.{col} IN (SELECT {stored} FROM {identifier(contract.table)}) THEN '' "
            f"ELSE '; ids that differ only in upper/lower case are the same id' END || ')' "
            f"FROM {STAGING} s WHERE lower(s.{col}) IN (SELECT lower({stored}) FROM {identifier(contract.table)})"
        )
    ]
    if scalar(con, f"SELECT count({col}) - count(DISTINCT lower({col})) FROM {STAGING}"):
        checks.append(
            f"SELECT row, {position}, 'duplicates row ' || first_row || CASE WHEN v = first_v THEN '' "
            f"ELSE ' apart from upper/lower case' END || ' (value ''' || left(v, 40) || ''')' "
            f"FROM (SELECT rowid + 1 AS row, {col} AS v, min(rowid + 1) OVER w AS first_row, "
            f"arg_min({col}, rowid) OVER w AS first_v FROM {STAGING} WHERE {col} IS NOT NULL "
            f"WINDOW w AS (PARTITION BY lower({col}))) WHERE row > first_row"
        )
    return checks


def find_problems(
    con: duckdb.DuckDBPyConnection, contract: TableContract, header: list[str]
) -> tuple[list[Problem], int, int]:
    """Return (first problems, total problems, bad rows) for the staged file whose header is `header`."""
    staged = {name: staged_column(i) for i, name in enumerate(header)}
    selects = [
        f"SELECT rowid + 1 AS row, {i} AS col, msg FROM (SELECT rowid, {_control_check(staged_column(i))} AS msg "
        f"FROM {STAGING}) WHERE msg IS NOT NULL"
        for i in _columns_with_control_characters(con, len(header))
    ]
    for rule in contract.all_columns():
        if rule.name not in staged:
            continue
        position = header.index(rule.name)
        for condition, message in _rule_checks(rule, contract, staged):
            selects.append(
                f"SELECT rowid + 1 AS row, {position} AS col, {message} AS msg FROM {STAGING} WHERE {condition}"
            )
        if rule.unique:
            selects += _unique_checks(con, rule, contract, staged[rule.name], position)
    union = " UNION ALL ".join(selects)
    con.execute(f"CREATE OR REPLACE TEMP TABLE __problems AS {union}")
    total, bad_rows = first_row(con, "SELECT count(*), count(DISTINCT row) FROM __problems")
    first = con.execute("SELECT row, col, msg FROM __problems ORDER BY row, col LIMIT ?", [MAX_LISTED]).fetchall()
    con.execute("DROP TABLE __problems")
    return [Problem(int(r), shown(header[c], 60), shown(m, 300)) for r, c, m in first], int(total), int(bad_rows)
