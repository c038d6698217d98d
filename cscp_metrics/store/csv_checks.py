"""What is wrong with a CSV file that cannot be read, in plain words: its first bytes (encoding, byte-order
marks, NULs, line endings, an oversized header) before DuckDB reads it, and DuckDB's errors after."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

HEADER_LIMIT = 128 * 1024
_LINE = re.compile(r"Line: (\d+)")
_SAVE_AS = "save the file again as 'CSV UTF-8 (Comma delimited)' and load it again"


class FileRefused(Exception):
    """The file cannot be read as a table at all; the message says why, in plain words."""


def csv_header(path: Path) -> list[str]:
    """The header row's names, or FileRefused saying what is wrong with the start of the file."""
    with path.open("rb") as handle:
        head = handle.read(HEADER_LIMIT + 2)
    name = path.name
    if not head.strip(b"\x00"):
        raise FileRefused(f"{name}: the file holds only NUL bytes (a damaged or unwritten file), not CSV text")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _alternate_nuls(head):
        raise FileRefused(f"{name}: the file is UTF-16 text, not UTF-8; {_SAVE_AS}")
    end = head.find(b"\n")
    cr = head.find(b"\r")
    if cr != -1 and (end == -1 or cr < end - 1):
        raise FileRefused(
            f"{name}: lines end with a carriage return only (the old 'CSV (Macintosh)' format, which "
            f"is not UTF-8 either); {_SAVE_AS}"
        )
    line = head if end == -1 else head[:end]
    if len(line) > HEADER_LIMIT:
        raise FileRefused(
            f"{name}: the first line is longer than 128 KB; expected a header row of column names "
            "(is this the right file, or is the first line data?)"
        )
    nul = line.find(b"\x00")
    if nul != -1:
        raise FileRefused(
            f"{name}: the header row contains a NUL byte (byte {nul + 1}); the file is damaged or is not CSV text"
        )
    try:
        text = line.rstrip(b"\r").decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise FileRefused(f"{name}: the header row is not UTF-8 text (byte {err.start + 1}); {_SAVE_AS}") from err
    if text.startswith("\ufeff"):
        raise FileRefused(f"{name}: the file starts with two byte-order marks (U+FEFF); {_SAVE_AS}")
    header = next(csv.reader(io.StringIO(text)), [])
    if not any(h.strip() for h in header):
        raise FileRefused(f"{name}: the first line is blank; expected a header row of column names")
    return [h.strip() for h in header]


def _alternate_nuls(head: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of ASCII text is NUL."""
    sample = head[:64]
    return len(sample) >= 4 and (sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4)


def explain_csv_error(path: Path, message: str, n_columns: int) -> str:
    """DuckDB's error as a sentence an analyst can act on; only the error's first part is read, not the
    options DuckDB lists after it (which mention quotes and columns whatever went wrong)."""
    head = re.split(r"\n\s*(Possible|file =)", message, maxsplit=1)[0]
    line = _LINE.search(head)
    # DuckDB counts the header as line 1; our rows count from the first data row.
    where = f"row {int(line.group(1)) - 1}" if line else "a row"
    lowered = head.lower()
    if "maximum line size" in lowered:
        size = re.search(r"Actual Size:\s*(\d+)", head)
        long = f"{int(size.group(1)) / 1e6:.1f} MB long" if size else "too long"
        return (
            f"{path.name}: {where} is {long}, over the 2 MB limit for one row; no value in an extract is that "
            "long: a value may be missing its closing quote, or a cell may hold a whole document"
        )
    if "unicode" in lowered or "utf-8" in lowered:
        return f"{path.name}: {where} is not UTF-8 text; {_SAVE_AS}"
    if "expected number of columns" in lowered:
        found = re.search(r"Found: (\d+)", head)
        got = found.group(1) if found else "a different number of"
        return (
            f"{path.name}: {where} has {got} fields where the header has {n_columns}; "
            "the file may be truncated or use another delimiter"
        )
    if "unterminated quote" in lowered:
        return f"{path.name}: {where} has a value with an opening quote and no closing quote; the file may be truncated"
    if "invalid state" in lowered:
        mixed = _mixed_line_endings(path)
        if mixed:
            return mixed
    first = head.strip().splitlines()[0] if head.strip() else "unknown error"
    return f"{path.name}: cannot be read as comma-separated text ({where}): {first}"


def _mixed_line_endings(path: Path) -> str | None:
    """The first line whose ending differs from the first line's (Windows CRLF against Unix LF)."""
    with path.open("rb") as handle:
        first: bytes | None = None
        for number, line in enumerate(handle, start=1):
            if not line.endswith(b"\n"):
                break
            ending = b"\r\n" if line.endswith(b"\r\n") else b"\n"
            if first is None:
                first = ending
            elif ending != first:
                kinds = {b"\r\n": "Windows (CRLF)", b"\n": "Unix (LF)"}
                return (
                    f"{path.name}: line {number} ends with {kinds[ending]} where line 1 ends with "
                    f"{kinds[first]}: the file mixes line endings (joined from two files?); {_SAVE_AS}"
                )
    return None
