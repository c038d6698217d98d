"""Areas: the partnership's own, England, regions, inner/outer London, statistical neighbours."""

from __future__ import annotations

from difflib import get_close_matches

import duckdb

from cscp_metrics import PARTNERSHIP_LABEL
from cscp_metrics.read_memo import remembered

NAMED = {"england": "E92000001", "london": "E12000007", "inner london": "E13000001", "outer london": "E13000002"}
COMPARATORS = {"england": "England", "london": "London", "inner_london": "Inner London", "sn": "Statistical neighbours"}


@remembered
def partnership_area(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("SELECT value FROM settings WHERE key = 'area_code'").fetchone()
    return row[0] if row else None


@remembered
def partnership_name(con: duckdb.DuckDBPyConnection) -> str:
    row = con.execute("SELECT value FROM settings WHERE key = 'area_name'").fetchone()
    return row[0] if row else PARTNERSHIP_LABEL


def resolve_area(con: duckdb.DuckDBPyConnection, area: str | None) -> str | None:
    """An area code from a code, a name (England, any DfE region, Inner London, any LA), an old LA number,
    `sn` or None (the partnership); case-insensitive. Unknown: ValueError naming the closest matches."""
    if area is None or area.strip().lower() in ("", "local", PARTNERSHIP_LABEL):
        return partnership_area(con)
    key = " ".join(area.strip().lower().replace("_", " ").split())
    if key in NAMED:
        return NAMED[key]
    if key in ("sn", "statistical neighbours"):
        return "sn"
    row = con.execute(
        "SELECT area_code FROM areas WHERE lower(area_code) = ? OR lower(name) = ? OR old_la_code = ? "
        "ORDER BY area_code LIMIT 1",
        [key, key, key],
    ).fetchone()
    if row is None:
        known = con.execute("SELECT area_code, name FROM areas ORDER BY level, name").fetchall()
        by_word = {name.lower(): name for _, name in known} | {code.lower(): f"{name} ({code})" for code, name in known}
        close = [by_word[m] for m in get_close_matches(key, list(by_word), n=5, cutoff=0.6)]
        hint = f"did you mean {' or '.join(close)}? Otherwise " if close else ""
        raise ValueError(
            f"unknown area '{area}': {hint}use England, a DfE region (North East, Inner London), "
            "sn (statistical neighbours), an LA name or an ONS code (E09000007)"
        )
    return row[0]


@remembered
def area_label(con: duckdb.DuckDBPyConnection, code: str | None) -> str:
    if code is None:
        return PARTNERSHIP_LABEL
    if code == "sn":
        return "Statistical neighbours"
    row = con.execute("SELECT name FROM areas WHERE area_code = ?", [code]).fetchone()
    return row[0] if row else code


@remembered
def neighbours(con: duckdb.DuckDBPyConnection, code: str, model: str | None = None) -> list[str]:
    model = model or neighbour_model(con)
    return [
        r[0]
        for r in con.execute(
            "SELECT neighbour_code FROM statistical_neighbours WHERE area_code = ? AND model = ? ORDER BY rank",
            [code, model],
        ).fetchall()
    ]


@remembered
def neighbour_model(con: duckdb.DuckDBPyConnection) -> str:
    """The statistical neighbour model the store's council uses (`cscp init` settles it; 2021 before that)."""
    row = con.execute("SELECT value FROM settings WHERE key = 'sn_model'").fetchone()
    return row[0] if row else "2021"
