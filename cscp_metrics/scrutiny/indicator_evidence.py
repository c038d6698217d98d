"""What a record's linked indicators say, from the scrutiny code rather than statistics of our own: each
indicator's latest finding for a period (the where-to-look checks, ranked, in a few words such as "higher than
England, worse"), and how it moved between before a date and since (the change test where-to-look uses against
last year, over equal runs of months, and SPC on the months since): "8.1% before, 9.0% since; within normal
variation". A risk is flagged for review when a linked indicator worsened beyond normal variation since its
last review; an action shows the same comparison from the day it started."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pandas as pd

from cscp_metrics.indicators.engine import compute
from cscp_metrics.indicators.periods import Period, _add_months, _month_end
from cscp_metrics.indicators.registry import Registry
from cscp_metrics.indicators.summary import format_value, monthly_series
from cscp_metrics.scrutiny import outliers, where_to_look
from cscp_metrics.scrutiny.signals import Signal, direction_by_polarity
from cscp_metrics.stats.spc import MIN_POINTS, xmr

NORMAL_VARIATION_P = 0.05


@dataclass(frozen=True)
class Finding:
    indicator_id: str
    title: str
    period: str
    finding: str  # a few words: "higher than England, worse"
    direction: str
    sentence: str


def phrase(signal: Signal) -> str:
    verdict = f", {signal.direction}" if signal.direction in ("better", "worse") else ""
    value, other = signal.value, signal.comparator_value
    higher = isinstance(value, float) and other is not None and value > other
    if signal.kind == "significance":
        if signal.direction == "similar":
            return f"similar to {signal.comparator}"
        if signal.suppressed:
            return f"significantly different from {signal.comparator}{verdict}"
        return f"{'higher' if higher else 'lower'} than {signal.comparator}{verdict}"
    if signal.kind == "change":
        return f"{'rose' if higher else 'fell'} since the {signal.comparator}{verdict}"
    if signal.kind == "spc":
        return f"special cause variation in {signal.breakdown_value}{verdict}"
    if signal.kind == "funnel":
        return f"{'above' if higher else 'below'} the funnel limits among all LAs{verdict}"
    return f"{signal.kind} against {signal.comparator}: {signal.direction}"


def latest_finding(
    con: duckdb.DuckDBPyConnection, indicator_id: str, period: str, public: bool, registry: Registry
) -> Finding:
    ind = registry.indicators[indicator_id]
    found = where_to_look.indicator_signals(con, ind, period, public, registry)
    ranked = where_to_look.rank([s for s in found if s.direction != "similar"]) or [
        s for s in found if s.kind == "significance"
    ]
    if not ranked:
        return Finding(
            ind.id,
            ind.title,
            period,
            "no finding for this period",
            "none",
            f"{ind.title}: no comparison or change to report for {period}.",
        )
    top = ranked[0]
    return Finding(ind.id, ind.title, period, phrase(top), top.direction, top.sentence)


@dataclass(frozen=True)
class Movement:
    indicator_id: str
    title: str
    before: str  # the runs of months compared, e.g. "Apr 2019 to Mar 2020"
    since: str
    before_value: float | None
    since_value: float | None
    p_value: float | None
    direction: str  # better | worse | higher | lower (beyond normal variation), similar, no data
    spc_worse_months: tuple[str, ...]
    sentence: str
    hidden: bool = False  # the figures are hidden (a count of 1-5 in the public view): None, shown as c

    @property
    def worsened(self) -> bool:
        return self.direction == "worse" or bool(self.spc_worse_months)


def movement(
    con: duckdb.DuckDBPyConnection, indicator_id: str, start: date, until: date, public: bool, registry: Registry
) -> Movement:
    """The indicator over the whole months from `start` to `until` against as many months just before."""
    ind = registry.indicators[indicator_id]
    first = date(start.year, start.month, 1)
    if until != _month_end(until.year, until.month):  # whole months only
        until = date(until.year, until.month, 1) - timedelta(days=1)
    months = (until.year - first.year) * 12 + until.month - first.month + 1
    if months < 1 or ind.statistic not in ("count", "proportion", "rate") or not ind.local:
        why = "no months since yet" if months < 1 else "not comparable month by month"
        return Movement(ind.id, ind.title, "", "", None, None, None, "no data", (), f"{ind.title}: {why}.")
    since = Period.span(first, _month_end(until.year, until.month))
    before = Period.span(_add_months(first, -months), _month_end(*_last_month(first)))
    now, then = (compute(con, ind.id, p, registry=registry).iloc[0] for p in (since, before))
    if pd.isna(now["value"]) or pd.isna(then["value"]) or pd.isna(now["numerator"]) or pd.isna(then["numerator"]):
        return Movement(
            ind.id,
            ind.title,
            before.label,
            since.label,
            None,
            None,
            None,
            "no data",
            (),
            f"{ind.title}: no figures for both {before.label} and {since.label}.",
        )
    p = outliers.change_p(ind, now, then)
    high = float(now["value"]) > float(then["value"])
    direction = direction_by_polarity(high, ind.polarity) if p < NORMAL_VARIATION_P else "similar"
    spc = _spc_worse_months(con, ind, since)
    hidden = public and (outliers._small(now["numerator"]) or outliers._small(then["numerator"]))
    shown = [None if hidden else float(r["value"]) for r in (then, now)]
    verdict = (
        f"beyond normal variation (p {outliers._p_text(p)}), {direction}"
        if direction != "similar"
        else f"within normal variation (p {outliers._p_text(p)})"
    )
    if spc:
        verdict += f"; special cause variation, worse, in {', '.join(spc)}"
    text = (
        f"{ind.title}: {format_value(shown[0], ind, hidden)} before ({before.label}), "
        f"{format_value(shown[1], ind, hidden)} since ({since.label}); {verdict}."
    )
    return Movement(ind.id, ind.title, before.label, since.label, shown[0], shown[1], p, direction, spc, text, hidden)


def _last_month(first: date) -> tuple[int, int]:
    previous = _add_months(first, -1)
    return previous.year, previous.month


def _spc_worse_months(con: duckdb.DuckDBPyConnection, ind, since: Period) -> tuple[str, ...]:
    series = monthly_series(con, ind, since)
    values = series["value"].astype(float)
    if values.notna().sum() < MIN_POINTS:
        return ()
    series = series[values.notna()].reset_index(drop=True)
    chart = xmr(values.dropna().to_numpy())
    worse = "special_low" if ind.polarity == "high_is_good" else "special_high"
    if ind.polarity == "neutral":
        return ()
    after = series["period"] >= f"{since.start:%Y-%m}"
    return tuple(str(m) for m in series.loc[after.to_numpy() & chart[worse].to_numpy(), "period"])
