"""The store's settings (key, value): its council, default year, comparator model, whether it is the demo."""

from __future__ import annotations

import duckdb


def setting(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = con.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None
