"""Where in the dashboard an indicator is shown: its page's URL path, with the filters and drill path."""
from __future__ import annotations

from urllib.parse import urlencode

from cscp_metrics.indicators.periods import parse_period
from cscp_metrics.indicators.registry import Indicator

# Each priority area of the registry lives on one page of app.py (tests check every path exists there).
PAGE_OF_AREA = {
    "front_door": "front-door", "vulnerable_adolescents": "vulnerable-adolescents", "youth_violence": "youth-violence",
    "domestic_abuse": "domestic-abuse", "neglect": "neglect", "child_sexual_abuse": "child-sexual-abuse",
    "radicalisation": "radicalisation", "children_in_need": "cin-cp-lac", "child_protection": "cin-cp-lac",
    "looked_after": "cin-cp-lac", "send": "send-education", "education": "send-education", "lado": "lado",
    "training": "training-learning", "learning": "training-learning", "partnership": "training-learning",
    "context": "training-learning",
}


def page_link(ind: Indicator, period: str, drill: dict[str, str] | None = None) -> str:
    """e.g. /front-door?year=2019-20&q=Q4&drill=re_referral_rate|source=police"""
    p = parse_period(period)
    params = {"year": p.fy_label}
    if p.quarter:
        params["q"] = f"Q{p.quarter}"
    if drill is not None:
        params["drill"] = "|".join([ind.id] + [f"{d}={v}" for d, v in drill.items()])
    return f"/{PAGE_OF_AREA[ind.priority_area]}?{urlencode(params, safe='|=')}"
