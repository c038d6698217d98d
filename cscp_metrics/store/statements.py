"""Running statements on a DuckDB file: one all-or-nothing block for every writer (the store and the working
records) and one way to read a single value."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import duckdb


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """BEGIN; COMMIT when the block ends, ROLLBACK (and re-raise) when anything escapes it, even a KeyboardInterrupt."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> Any:
    """The first column of the first row; None when the query returns no row."""
    row = con.execute(sql, list(params)).fetchone()
    return None if row is None else row[0]


def first_row(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...]:
    """The one row of an aggregate query (count, min, max…), which always returns exactly one."""
    row = con.execute(sql, list(params)).fetchone()
    if row is None:
        raise RuntimeError("an aggregate query returned no row")
    return row
