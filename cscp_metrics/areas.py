"""Areas: the partnership's own, England, regions, inner/outer London, statistical neighbours."""
from __future__ import annotations

import duckdb

from . import PARTNERSHIP_LABEL

NAMED = {"england": "E92000001", "london": "E12000007", "inner london": "E13000001", "outer london": "E13000002"}
COMPARATORS = {"england": "England", "london": "London", "inner_london": "Inner London", "sn": "Statistical neighbours"}


def partnership_area(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("SELECT value FROM settings WHERE key = 'area_code'").fetchone()
    return row[0] if row else None


def partnership_name(con: duckdb.DuckDBPyConnection) -> str:
    row = con.execute("SELECT value FROM settings WHERE key = 'area_name'").fetchone()
    return row[0] if row else PARTNERSHIP_LABEL


def resolve_area(con: duckdb.DuckDBPyConnection, area: str | None) -> str | None:
    """An area code from a code, a name (England, London, Inner London, any LA) or None (the partnership)."""
    if area is None or area.lower() in ("", "local", PARTNERSHIP_LABEL):
        return partnership_area(con)
    key = area.strip().lower().replace("_", " ")
    if key in NAMED:
        return NAMED[key]
    if key in ("sn", "statistical neighbours"):
        return "sn"
    row = con.execute("SELECT area_code FROM areas WHERE lower(area_code) = ? OR lower(name) = ?", [key, key]).fetchone()
    if row is None:
        raise ValueError(f"unknown area '{area}': use an ONS code (E09000007), England, London, 'Inner London' or an LA name")
    return row[0]


def area_label(con: duckdb.DuckDBPyConnection, code: str | None) -> str:
    if code is None:
        return PARTNERSHIP_LABEL
    if code == "sn":
        return "Statistical neighbours"
    row = con.execute("SELECT name FROM areas WHERE area_code = ?", [code]).fetchone()
    return row[0] if row else code


def neighbours(con: duckdb.DuckDBPyConnection, code: str, model: str = "2021") -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT neighbour_code FROM statistical_neighbours WHERE area_code = ? AND model = ? ORDER BY rank",
        [code, model]).fetchall()]
