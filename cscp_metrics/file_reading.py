"""Read a CSV, XLSX or Parquet file into a temporary all-text staging table, or refuse it clearly."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import duckdb

STAGING = "__staging"
_LINE = re.compile(r"Line: (\d+)")


class FileRefused(Exception):
    """The file cannot be read as a table at all; the message says why, in plain words."""


def read_into_staging(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    """Create temp table __staging (all VARCHAR, file order = rowid order); return its column names."""
    if not path.exists():
        raise FileRefused(f"{path.name}: file not found ({path})")
    if path.stat().st_size == 0:
        raise FileRefused(f"{path.name}: the file is empty (0 bytes); expected a header row and data rows")
    con.execute(f"DROP TABLE IF EXISTS {STAGING}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        columns = _read_csv(con, path)
    elif suffix in (".xlsx", ".xlsm"):
        columns = _read_xlsx(con, path)
    elif suffix == ".parquet":
        columns = _read_parquet(con, path)
    else:
        raise FileRefused(f"{path.name}: unsupported file type '{suffix}'; use .csv, .xlsx or .parquet")
    rows = con.execute(f"SELECT count(*) FROM {STAGING}").fetchone()[0]
    if rows == 0:
        raise FileRefused(f"{path.name}: the file has a header row but no data rows")
    return columns


def _csv_header(path: Path) -> list[str]:
    with path.open("rb") as handle:
        first = handle.readline(1_000_000)
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise FileRefused(
            f"{path.name}: header row is not UTF-8 text (byte {err.start}); save the file as 'CSV UTF-8'") from err
    header = next(csv.reader(io.StringIO(text)), [])
    header = [h.strip() for h in header]
    if not any(header):
        raise FileRefused(f"{path.name}: the first line is blank; expected a header row of column names")
    return header


def _read_csv(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    header = _csv_header(path)
    if len(set(header)) != len(header):
        dupes = sorted({h for h in header if header.count(h) > 1})
        raise FileRefused(f"{path.name}: header names a column more than once: {', '.join(dupes)}")
    columns = {name: "VARCHAR" for name in header}
    try:
        con.execute(
            f"CREATE TEMP TABLE {STAGING} AS SELECT * FROM read_csv(?, header = true, delim = ',', "
            "quote = '\"', escape = '\"', auto_detect = false, columns = ?, strict_mode = true, "
            "null_padding = false)", [str(path), columns])
    except duckdb.Error as err:
        raise FileRefused(_explain_csv_error(path, str(err), len(header))) from err
    return header


def _explain_csv_error(path: Path, message: str, n_columns: int) -> str:
    line = _LINE.search(message)
    # DuckDB counts the header as line 1; our rows count from the first data row.
    where = f"row {int(line.group(1)) - 1}" if line else "a row"
    if "unicode" in message.lower() or "utf-8" in message.lower():
        return f"{path.name}: {where} is not UTF-8 text; save the file as 'CSV UTF-8' and load it again"
    if "Expected Number of Columns" in message or "columns" in message.lower():
        found = re.search(r"Found: (\d+)", message)
        got = found.group(1) if found else "a different number of"
        return (f"{path.name}: {where} has {got} fields where the header has {n_columns}; "
                "the file may be truncated or use another delimiter")
    if "quote" in message.lower():
        return f"{path.name}: {where} has an unterminated quoted value; the file may be truncated"
    first = message.strip().splitlines()[0]
    return f"{path.name}: cannot be read as comma-separated text ({where}): {first}"


def _read_xlsx(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    import pandas as pd

    try:
        frame = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
    except Exception as err:  # openpyxl raises many types for damaged workbooks
        raise FileRefused(f"{path.name}: cannot be read as an Excel workbook: {err}") from err
    frame.columns = [str(c).strip() for c in frame.columns]
    # Excel stores dates as datetimes; a whole-day value reads back as 'YYYY-MM-DD 00:00:00'.
    frame = frame.replace({r"^(\d{4}-\d{2}-\d{2}) 00:00:00$": r"\1"}, regex=True).replace({"": None})
    con.register("__xlsx_frame", frame)
    con.execute(f"CREATE TEMP TABLE {STAGING} AS SELECT * FROM __xlsx_frame")
    con.unregister("__xlsx_frame")
    return list(frame.columns)


def _read_parquet(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    try:
        schema = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
        casts = ", ".join(_parquet_text(name, kind) for name, kind, *_ in schema)
        con.execute(f"CREATE TEMP TABLE {STAGING} AS SELECT {casts} FROM read_parquet(?)", [str(path)])
    except duckdb.Error as err:
        raise FileRefused(f"{path.name}: cannot be read as Parquet: {str(err).splitlines()[0]}") from err
    return [c[0] for c in schema]


def _parquet_text(name: str, kind: str) -> str:
    col = f'"{name}"'
    if kind.startswith("TIMESTAMP"):
        # A whole-day timestamp is a date written by a tool without a date type.
        return (f"CASE WHEN CAST({col} AS TIME) = TIME '00:00:00' THEN CAST(CAST({col} AS DATE) AS VARCHAR) "
                f"ELSE strftime({col}, '%Y-%m-%dT%H:%M:%S') END AS {col}")
    return f"CAST({col} AS VARCHAR) AS {col}"
