"""Where in the dashboard an indicator is shown: its page's URL path, with the filters and drill path."""

from __future__ import annotations

from urllib.parse import urlencode

from cscp_metrics.indicators.periods import parse_period
from cscp_metrics.indicators.registry import Indicator
from cscp_metrics.indicators.registry.pages import load_pages


def page_link(ind: Indicator, period: str, drill: dict[str, str] | None = None) -> str:
    """e.g. /front-door?year=2019-20&q=Q4&drill=re_referral_rate|source=police"""
    p = parse_period(period)
    params = {"year": p.fy_label}
    if p.quarter:
        params["q"] = f"Q{p.quarter}"
    if drill is not None:
        params["drill"] = "|".join([ind.id] + [f"{d}={v}" for d, v in drill.items()])
    return f"/{load_pages().page_of_area(ind.priority_area)}?{urlencode(params, safe='|=')}"
