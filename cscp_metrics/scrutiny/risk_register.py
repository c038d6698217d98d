"""The risk register as a board reads it: each risk with its score and rating, its linked indicators' latest
findings for the period, and whether any of them worsened beyond normal variation since the risk's last
review (then the risk is flagged for review). Shared by `cscp risk list/show` and the Assurance page."""

from __future__ import annotations

from datetime import date

import duckdb

from cscp_metrics.indicators.periods import parse_period
from cscp_metrics.indicators.registry import Registry
from cscp_metrics.records.risks import Risk
from cscp_metrics.scrutiny.indicator_evidence import latest_finding, movement
from cscp_metrics.store.years import default_year, local_years


def data_until(con: duckdb.DuckDBPyConnection, as_of: date | None = None) -> date:
    """The last day the partnership's own records reach (capped at as_of): movements are measured up to it."""
    years = local_years(con)
    end = parse_period(years[-1]).end if years else date.today()
    return min(end, as_of) if as_of else end


def current_period(con: duckdb.DuckDBPyConnection) -> str:
    return default_year(con) or parse_period(f"{date.today().year - 1}-{date.today().year % 100:02d}").label


def risk_entry(
    con: duckdb.DuckDBPyConnection, risk: Risk, period: str, until: date, public: bool, registry: Registry
) -> dict:
    """The risk as a dict (score, rating, label) with `linked` indicators and `flagged_for_review`."""
    linked = []
    for indicator_id in risk.indicators:
        found = latest_finding(con, indicator_id, period, public, registry)
        moved = movement(con, indicator_id, risk.reviewed_on, until, public, registry)
        linked.append(
            {
                "indicator_id": indicator_id,
                "title": found.title,
                "period": period,
                "finding": found.finding,
                "sentence": found.sentence,
                "since_last_review": moved.sentence,
                "worsened": moved.worsened,
            }
        )
    worsened = [str(item["title"]) for item in linked if item["worsened"]]
    reason = (
        f"{', '.join(worsened)} worsened beyond normal variation since the last review ({risk.reviewed_on})"
        if worsened and risk.status == "open"
        else None
    )
    return {**risk.as_dict(), "linked": linked, "flagged_for_review": reason is not None, "flag_reason": reason}
