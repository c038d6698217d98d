"""Which financial years a store can show: every year with DfE figures for its council or with local records."""

from __future__ import annotations

import duckdb

from cscp_metrics.indicators.areas import partnership_area
from cscp_metrics.indicators.periods import fy_label
from cscp_metrics.read_memo import remembered
from cscp_metrics.store.settings import setting


@remembered
def local_years(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Years covered by the partnership's own records (case extracts or partner returns)."""
    rows = con.execute("""
        SELECT DISTINCT period FROM measure_aggregates WHERE period_kind = 'year'
        UNION SELECT DISTINCT (year(period_start) - CASE WHEN month(period_start) < 4 THEN 1 ELSE 0 END)::VARCHAR
        FROM partner_returns""").fetchall()
    return sorted({r[0] if "-" in r[0] else fy_label(int(r[0])) for r in rows})


@remembered
def dfe_years(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Years DfE publishes a figure for the store's council (for any council, before one is settled)."""
    own = partnership_area(con)
    rows = con.execute(
        "SELECT DISTINCT period FROM benchmarks WHERE value IS NOT NULL AND (? IS NULL OR area_code = ?)", [own, own]
    ).fetchall()
    return sorted(r[0] for r in rows if len(r[0]) == 7)


def years(con: duckdb.DuckDBPyConnection, local: list[str] | None = None) -> list[str]:
    """`local`: local_years(con) when the caller has it already."""
    return sorted(set(local_years(con) if local is None else local) | set(dfe_years(con)))


def default_year(con: duckdb.DuckDBPyConnection, local: list[str] | None = None) -> str | None:
    """The store's chosen year (the demo: 2019-20, its annual report), else the latest year of local records, else
    the latest year DfE publishes for the council."""
    local = local_years(con) if local is None else local
    chosen = setting(con, "default_year")
    shown = years(con, local)
    if chosen in shown:
        return chosen
    latest = local or shown
    return latest[-1] if latest else None
