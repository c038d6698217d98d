"""Read-only tables the Data and Definitions pages show (so pages hold no SQL)."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd

from cscp_metrics.indicators.registry import load_registry


def loads(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        "SELECT load_id, table_name, file_name, outcome, rows, finished_at, loaded_by, left(sha256, 12) AS sha256, "
        "error_summary FROM loads ORDER BY load_id DESC"
    ).df()


LOAD_COLUMNS = {
    "load_id": "Load",
    "table_name": "Table",
    "file_name": "File",
    "outcome": "Outcome",
    "rows": "Rows",
    "finished_at": "Finished",
    "loaded_by": "Loaded by",
    "sha256": "File's SHA-256 (first 12)",
    "error_summary": "Why refused",
}


def loads_shown(frame: pd.DataFrame, public: bool) -> pd.DataFrame:
    """loads() as the Data page shows it: columns in words, times to the second, nothing where there is nothing.
    Who loaded a file (an upload records the member's email) is shown to members only."""
    shown = frame.assign(
        finished_at=frame["finished_at"].map(_time_text),
        error_summary=frame["error_summary"].fillna(""),
        loaded_by=frame["loaded_by"].fillna(""),
    )
    return shown.drop(columns=["loaded_by"] if public else []).rename(columns=LOAD_COLUMNS)


def _time_text(when: object, pattern: str = "%Y-%m-%d %H:%M:%S") -> str:
    return "" if when is None or pd.isna(when) else pd.Timestamp(when).strftime(pattern)


def latest_load_line(frame: pd.DataFrame) -> str:
    """The newest row of `loads` in words (rows is empty for a refused file)."""
    if frame.empty:
        return "Nothing has been loaded yet."
    latest = frame.iloc[0]
    rows = 0 if pd.isna(latest["rows"]) else int(latest["rows"])
    return (
        f"Latest load: {latest['file_name']} into {latest['table_name']}, {latest['outcome']}, "
        f"{rows:,} row{'' if rows == 1 else 's'}, finished {_time_text(latest['finished_at'])}"
    )


AGENCY_COLUMNS = {
    "agency": "Agency",
    "measures": "Measures returned",
    "latest_period_end": "Latest period ending",
    "last_load": "Last load",
}


def agencies_shown(frame: pd.DataFrame) -> pd.DataFrame:
    """last_return_per_agency() as the Data page shows it: columns in words, a date without a time of day."""
    ending = frame["latest_period_end"].map(lambda day: _time_text(day, "%Y-%m-%d"))
    return frame.assign(latest_period_end=ending).rename(columns=AGENCY_COLUMNS)


NOT_COMPUTED = "not computed: "  # how ready_builds.stamp begins for a part whose computation failed at publish


def ready_builds(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The figures computed at publish, per part: when, in how many seconds, or why they were not computed."""
    try:
        return con.execute("SELECT part, stamp, seconds, built_at FROM ready_builds ORDER BY part").df()
    except duckdb.CatalogException:  # a store published before schema version 6
        return pd.DataFrame(columns=["part", "stamp", "seconds", "built_at"])


def ready_line(frame: pd.DataFrame) -> str:
    """The ready figures in words; a part that failed at publish says why (its pages compute it live)."""
    if frame.empty:
        return "Figures computed at publish: none in this version; pages compute every figure live."
    parts = []
    for row in frame.itertuples():
        if str(row.stamp).startswith(NOT_COMPUTED):
            parts.append(f"{row.part} {row.stamp} (pages compute them live)")
        else:
            parts.append(f"{row.part} computed in {row.seconds:.1f} s at {row.built_at:%Y-%m-%d %H:%M}")
    return "Figures computed at publish: " + "; ".join(parts) + "."


def last_return_per_agency(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("""
        SELECT a.name AS agency, count(DISTINCT r.measure_id) AS measures, max(r.period_end) AS latest_period_end,
               max(r.load_id) AS last_load
        FROM partner_returns r LEFT JOIN agencies a ON a.agency_id = r.agency GROUP BY ALL ORDER BY agency""").df()


def settings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT key, value FROM settings").df()


def definitions(_con: duckdb.DuckDBPyConnection | None = None) -> pd.DataFrame:
    rows = [
        {
            "id": i.id,
            "title": i.title,
            "priority area": i.priority_area,
            "definition": i.definition,
            "statistic": i.statistic,
            "unit": i.unit,
            "numerator": str(i.numerator),
            "denominator": "" if i.denominator is None else str(i.denominator),
            "polarity": i.polarity,
            "source": i.source,
            "DfE reference": i.dfe_reference or "",
            "disclosure": i.disclosure,
            "breakdowns": ", ".join(i.breakdowns),
        }
        for i in load_registry().indicators.values()
    ]
    return pd.DataFrame(rows)


VIEWS: dict[str, Callable[[duckdb.DuckDBPyConnection], pd.DataFrame]] = {
    "loads": loads,
    "agencies": last_return_per_agency,
    "settings": settings,
    "ready": ready_builds,
    "definitions": definitions,
}
