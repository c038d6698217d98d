"""A signal: one thing the scrutineer should look at, with its numbers and a sentence built from them."""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict

from cscp_metrics.indicators.registry import Indicator
from cscp_metrics.indicators.shown_cells import marked
from cscp_metrics.stats import intervals
from cscp_metrics.stats.table import STATISTICS

KINDS = ("significance", "breakdown", "spc", "funnel", "change", "reconciliation")
# Ranking: strength of evidence x children affected x polarity. What is worse leads; a difference with no better or
# worse (a neutral indicator) counts for less; a count of activity (sessions held, people reached) is not an
# outcome and counts for less again.
POLARITY_WEIGHT = {"worse": 1.0, "better": 0.6, "higher": 0.35, "lower": 0.35, "similar": 0.0}
ACTIVITY_WEIGHT = 0.4


class Signal(BaseModel):
    model_config = ConfigDict(frozen=True)
    indicator_id: str
    title: str
    period: str
    area: str
    breakdown: str = ""
    breakdown_value: str = ""
    kind: str
    comparator: str
    direction: str
    value: float | None  # value and numerator are None when `suppressed` (a count of 1-5 in the public view)
    comparator_value: float | None
    numerator: float | None = None
    suppressed: bool = False
    denominator: float | None = None
    lower_ci: float | None = None
    upper_ci: float | None = None
    children_gap: float | None = None
    children_gap_lower: float | None = None
    children_gap_upper: float | None = None
    evidence: int = 0  # 3 beyond 99.8% / p < 0.002 with a large effect, 2 beyond 99.8%, 1 beyond 95%, 0 none
    sentence: str
    link: str = ""
    status: str = ""  # reconciliation only
    challenges: tuple[str, ...] = ()
    statistic: str = ""  # the indicator's statistic: count and amount are activity, not outcomes

    def strength(self) -> float:
        """Evidence (1 beyond 95%, 2 beyond 99.8%) x log(1 + children affected) x polarity; SPC and funnel
        signals carry no count of children and weigh as one child's worth (log 2)."""
        children = abs(self.children_gap or 0)
        affected = math.log1p(children) if children >= 1 else math.log(2)
        weight = POLARITY_WEIGHT.get(self.direction, 0.0) * (
            ACTIVITY_WEIGHT if self.statistic in ("count", "amount") else 1.0
        )
        return self.evidence * affected * weight

    def rank_key(self) -> tuple:
        return (-self.strength(), KINDS.index(self.kind), self.indicator_id)

    def as_published(self) -> dict[str, object]:
        """The signal as the CLI's JSON and CSV give it: 'c' for a hidden value and numerator."""
        found = self.model_dump(exclude={"suppressed"})
        found["value"] = marked(self.value, self.suppressed)
        found["numerator"] = marked(self.numerator, self.suppressed and self.kind != "spc")  # SPC carries no count
        return found


def direction_by_polarity(higher: bool, polarity: str) -> str:
    if polarity == "neutral":
        return "higher" if higher else "lower"
    return "better" if higher == (polarity == "high_is_good") else "worse"


def numerator_interval(ind: Indicator, x: float, n: float) -> tuple[float, float]:
    """The 95% interval of the local count behind a proportion or rate, in children."""
    if ind.statistic == "proportion":
        found = STATISTICS["proportion"](x, n, multiplier=1.0).iloc[0]
        return float(found["lower"]) * n, float(found["upper"]) * n
    found = STATISTICS["count"](x).iloc[0]
    return float(found["lower"]), float(found["upper"])


def interval_998(ind: Indicator, x: float, n: float) -> tuple[float, float]:
    found = STATISTICS[ind.statistic](x, n, 0.998, ind.multiplier).iloc[0]
    return float(found["lower"]), float(found["upper"])


def gap(ind: Indicator, x: float, n: float, comparator_value: float) -> tuple[float, float, float]:
    """(children, lower, upper): how many more (+) or fewer (-) children the comparator's rate would give."""
    expected_gap = intervals.children_gap(x, n, comparator_value, ind.multiplier)
    x_lo, x_hi = numerator_interval(ind, x, n)
    lo, hi = intervals.children_gap_interval(x_lo, x_hi, n, comparator_value, ind.multiplier)
    return expected_gap, lo, hi


def gap_sentence(ind: Indicator, name: str, children: float, lower: float, upper: float) -> str:
    """e.g. 'At England's rate about 214 more (95% CI 195 to 232) would have been counted: 333 rather than 119.'"""
    if math.isnan(children) or round(children) == 0:
        return ""
    more = "more" if children > 0 else "fewer"
    lo, hi = sorted((abs(lower), abs(upper))) if lower * upper > 0 else (0.0, max(abs(lower), abs(upper)))
    return (
        f" At {possessive(name)} rate there would have been about {abs(children):,.0f} {more} "
        f"{ind.counts_what} (95% CI {lo:,.0f} to {hi:,.0f})."
    )


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"
