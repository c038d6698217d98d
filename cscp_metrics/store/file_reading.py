"""Read a CSV, XLSX or Parquet file into a temporary all-text staging table, or refuse it clearly.

The staging table's columns are named by position (c0, c1, ...), never by the file's header, so no name
from a file is ever written into SQL; the header names are returned for the caller to match by value."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Sequence
from pathlib import Path

import duckdb

from cscp_metrics.store.csv_checks import FileRefused, csv_header, explain_csv_error
from cscp_metrics.store.statements import scalar

STAGING = "__staging"
MAX_NAME = 128
MAX_COLUMNS = 500  # the widest contract has 9 columns; thousands make every check slow
__all__ = ["STAGING", "FileRefused", "read_into_staging", "shown", "staged_column"]


def staged_column(position: int) -> str:
    """The staging table's name for the file's column at this 0-based position."""
    return f"c{position}"


def shown(text: str, limit: int = 40) -> str:
    """Text from a file as it can be printed in a message: control and invisible characters as codes."""
    out = "".join(
        f"<U+{ord(ch):04X}>" if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text[:limit]
    )
    return out + ("…" if len(text) > limit else "")


def read_into_staging(con: duckdb.DuckDBPyConnection, path: Path, clean: Collection[str] = ()) -> list[str]:
    """Create temp table __staging (all VARCHAR, file order = rowid order); return the header's names. The columns
    `clean` names are staged trimmed, an empty value as NULL (as a table's own columns are checked and stored: the
    checks then read them as they are, where trimming 6 M values in every check took 0.3 s each); the others (extra
    columns) as the file has them."""
    if path.is_dir():
        raise FileRefused(f"{path.name}: is a folder, not a file; name a .csv, .xlsx or .parquet file")
    if not path.exists():
        raise FileRefused(f"{path.name}: file not found ({path})")
    if path.stat().st_size == 0:
        raise FileRefused(f"{path.name}: the file is empty (0 bytes); expected a header row and data rows")
    con.execute(f"DROP TABLE IF EXISTS {STAGING}")
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            columns = _read_csv(con, path, clean)
        elif suffix in (".xlsx", ".xlsm"):
            columns = _read_xlsx(con, path, clean)
        elif suffix == ".parquet":
            columns = _read_parquet(con, path, clean)
        else:
            raise FileRefused(f"{path.name}: unsupported file type '{shown(suffix)}'; use .csv, .xlsx or .parquet")
    except PermissionError as err:
        raise FileRefused(f"{path.name}: cannot be opened: permission denied") from err
    rows = scalar(con, f"SELECT count(*) FROM {STAGING}")
    if rows == 0:
        raise FileRefused(f"{path.name}: the file has a header row but no data rows")
    return columns


def check_header(path: Path, header: list[str]) -> None:
    """Every column needs a plain name: one that can be matched, printed and kept as a JSON key."""
    if len(header) > MAX_COLUMNS:
        raise FileRefused(
            f"{path.name}: the header has {len(header):,} columns; the loader takes at most {MAX_COLUMNS} "
            "(the table's own columns and any extra ones, which are kept as JSON)"
        )
    for i, name in enumerate(header, start=1):
        where = f"{path.name}: column {i} of the header"
        if not name:
            hint = " (is there a comma at the end of every line?)" if i == len(header) else ""
            raise FileRefused(f"{where} has no name{hint}; name the column or delete it")
        if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
            raise FileRefused(f"{where} ('{shown(name)}') contains an invisible or control character; retype the name")
        if any(ch in name for ch in "'\"`"):
            raise FileRefused(
                f"{where} ('{shown(name)}') contains a quote character; column names may not contain ' \" or `"
            )
        if len(name) > MAX_NAME:
            raise FileRefused(f"{where} is {len(name):,} characters long; column names are at most {MAX_NAME}")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise FileRefused(f"{path.name}: header names a column more than once: {', '.join(map(shown, dupes))}")


def _staged(header: list[str], clean: Collection[str], values: Sequence[str]) -> str:
    """The staging table's columns, from each column's text as read (`values`, by position)."""
    return ", ".join(
        f"nullif(trim({value}), '') AS {staged_column(i)}" if name in clean else f"{value} AS {staged_column(i)}"
        for i, (name, value) in enumerate(zip(header, values, strict=True))
    )


def _read_csv(con: duckdb.DuckDBPyConnection, path: Path, clean: Collection[str]) -> list[str]:
    header = csv_header(path)
    check_header(path, header)
    columns = {staged_column(i): "VARCHAR" for i in range(len(header))}
    staged = _staged(header, clean, list(columns))
    try:
        con.execute(
            f"CREATE TEMP TABLE {STAGING} AS SELECT {staged} FROM read_csv(?, header = true, delim = ',', "
            "quote = '\"', escape = '\"', auto_detect = false, columns = ?, strict_mode = true, "
            "null_padding = false)",
            [str(path), columns],
        )
    except duckdb.Error as err:
        raise FileRefused(explain_csv_error(path, str(err), len(header))) from err
    return header


def _read_xlsx(con: duckdb.DuckDBPyConnection, path: Path, clean: Collection[str]) -> list[str]:
    import pandas as pd

    try:
        sheet = pd.read_excel(path, dtype=str, header=None, keep_default_na=False, engine="openpyxl")
    except Exception as err:  # openpyxl raises many types for damaged workbooks
        raise FileRefused(f"{path.name}: cannot be read as an Excel workbook: {shown(str(err), 200)}") from err
    if sheet.empty:
        raise FileRefused(f"{path.name}: the first sheet is empty; expected a header row and data rows")
    header = [str(c).strip() for c in sheet.iloc[0]]
    check_header(path, header)
    frame = sheet.iloc[1:].reset_index(drop=True)
    frame.columns = [staged_column(i) for i in range(len(header))]
    # Excel stores dates as datetimes; a whole-day value reads back as 'YYYY-MM-DD 00:00:00'.
    frame = frame.replace({r"^(\d{4}-\d{2}-\d{2}) 00:00:00$": r"\1"}, regex=True).replace({"": None})
    con.register("__xlsx_frame", frame)
    staged = _staged(header, clean, list(frame.columns))
    con.execute(f"CREATE TEMP TABLE {STAGING} AS SELECT {staged} FROM __xlsx_frame")
    con.unregister("__xlsx_frame")
    return header


def _read_parquet(con: duckdb.DuckDBPyConnection, path: Path, clean: Collection[str]) -> list[str]:
    try:
        schema = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    except duckdb.Error as err:
        raise FileRefused(f"{path.name}: cannot be read as Parquet: {shown(str(err).splitlines()[0], 200)}") from err
    header = [str(name).strip() for name, *_ in schema]
    check_header(path, header)
    staged = _staged(header, clean, [_parquet_text(i, kind) for i, (_, kind, *_) in enumerate(schema)])
    try:
        con.execute(f"CREATE TEMP TABLE {STAGING} AS SELECT {staged} FROM read_parquet(?)", [str(path)])
    except duckdb.Error as err:
        raise FileRefused(f"{path.name}: cannot be read as Parquet: {shown(str(err).splitlines()[0], 200)}") from err
    return header


def _parquet_text(position: int, kind: str) -> str:
    """Column by position (#1 is the first), as text; `kind` is DuckDB's own type name, not the file's text."""
    col = f"#{position + 1}"
    if kind.startswith("TIMESTAMP"):
        # A whole-day timestamp is a date written by a tool without a date type.
        return (
            f"CASE WHEN CAST({col} AS TIME) = TIME '00:00:00' THEN CAST(CAST({col} AS DATE) AS VARCHAR) "
            f"ELSE strftime({col}, '%Y-%m-%dT%H:%M:%S') END"
        )
    return f"CAST({col} AS VARCHAR)"
