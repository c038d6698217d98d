"""What a screen says when an indicator has no figure for the council: whose return or which DfE file would fill it."""

from __future__ import annotations

import duckdb

from cscp_metrics.indicators.dfe_sources import SOURCES
from cscp_metrics.indicators.engine import records_start_too_late
from cscp_metrics.indicators.periods import Period, parse_period, period_words
from cscp_metrics.indicators.registry import Indicator, Registry, load_registry
from cscp_metrics.indicators.registry.refs import PartnerRef
from cscp_metrics.read_memo import remembered

DFE_PUBLISHED_IDS = frozenset(s.indicator_id for s in SOURCES)
LOAD_TABLES = {
    "missing_x": "missing_episodes",
    "missing_child_quarters": "missing_episodes",
    "looked_after_x": "looked_after_episodes",
    "partner_returns_current": "partner_returns",
}


@remembered
def agency_name(con: duckdb.DuckDBPyConnection, agency_id: str) -> str:
    row = con.execute("SELECT name FROM agencies WHERE agency_id = ?", [agency_id]).fetchone()
    return row[0] if row else agency_id.replace("_", " ").capitalize()


def load_table(ind: Indicator, registry: Registry | None = None) -> str:
    """The `cscp load --table` that would give this indicator a figure."""
    if not ind.local:
        return ""
    table = (registry or load_registry()).measure(ind.numerator).table
    return LOAD_TABLES.get(table, table.removesuffix("_x"))


def reason(con: duckdb.DuckDBPyConnection, ind: Indicator, period: str) -> str:
    """e.g. 'No return loaded yet from Police.' or 'DfE publishes whole years only; ...'."""
    p = parse_period(period)
    agency = agency_name(con, ind.source)
    registry = load_registry()
    first = records_start_too_late(con, registry, ind.numerator, p) if ind.local else None
    if first is not None:
        years = registry.measure(ind.numerator).lookback_years
        return (
            f"The records from {agency} start on {first:%-d %B %Y}: counting {ind.counts_what} "
            f"at {p.end:%-d %B %Y} needs records from {years} years before."
        )
    if ind.id in DFE_PUBLISHED_IDS and p.kind == "year":
        local = f" and no records from {agency} cover it" if ind.local else ""
        return f"DfE has not published this for {period}{local}."
    if not ind.local:
        return "DfE publishes whole years only: choose the whole year."
    numerator = ind.numerator
    if isinstance(numerator, PartnerRef) and p.kind != "year" and _returned_for_longer(con, numerator.measure, p):
        return f"{agency} returns this for the whole year, not by quarter or month: choose {p.fy_label}."
    what = "return" if ind.from_returns else "records"
    return f"No {what} loaded yet from {agency} for {period_words(period)}."


def _returned_for_longer(con: duckdb.DuckDBPyConnection, measure_id: str, period: Period) -> bool:
    """A return whose period holds this quarter or month and is longer than it (a year's headcount)."""
    row = con.execute(
        "SELECT count(*) FROM partner_returns_current WHERE measure_id = ? AND period_start <= ? AND period_end >= ? "
        "AND period_end - period_start > ?",
        [measure_id, period.start, period.end, (period.end - period.start).days],
    ).fetchone()
    return bool(row and row[0])


def page_gap(con: duckdb.DuckDBPyConnection, indicators: list[Indicator], period: str) -> str:
    """A page whose indicators all lack figures: which agencies' returns would fill it, and how to load them."""
    registry = load_registry()
    agencies = sorted({agency_name(con, i.source) for i in indicators})
    tables = sorted({load_table(i, registry) for i in indicators if i.local})
    how = (
        f"cscp load --table {tables[0]} FILE"
        if len(tables) == 1
        else f"cscp load --table TABLE FILE, with TABLE one of {', '.join(tables)}"
    )
    return (
        f"No figures for {period_words(period)} on this page yet. They come from the partnership's own returns "
        f"({', '.join(agencies)}): load them with {how}."
    )
