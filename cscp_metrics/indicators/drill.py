"""Drill paths ('referrals|source=police|month=2019-06'): parse, extend, climb back, describe the finding."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from cscp_metrics.indicators import labels
from cscp_metrics.indicators.periods import month_words, period_words
from cscp_metrics.indicators.registry import Indicator
from cscp_metrics.indicators.summary import NOT_RECORDED, format_value


@dataclass(frozen=True)
class DrillPath:
    indicator_id: str
    steps: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, text: str, default: str) -> DrillPath:
        parts = [p for p in (text or "").split("|") if p]
        if not parts:
            return cls(default)
        steps = tuple(tuple(p.split("=", 1)) for p in parts[1:] if "=" in p)
        return cls(parts[0], steps)  # type: ignore[arg-type]

    def text(self) -> str:
        return "|".join([self.indicator_id] + [f"{d}={v}" for d, v in self.steps])

    def where(self) -> dict[str, str]:
        return dict(self.steps)

    def next_dimension(self, ind: Indicator) -> str | None:
        used = {d for d, _ in self.steps}
        return next((d for d in ind.breakdowns if d not in used), None)

    def down(self, dimension: str, value: str) -> DrillPath:
        return DrillPath(self.indicator_id, self.steps + ((dimension, value),))

    def up(self, depth: int) -> DrillPath:
        return DrillPath(self.indicator_id, self.steps[:depth])


def drillable(frame: pd.DataFrame) -> list[str]:
    """The bars a user may break down further: published ones (a hidden bar's own breakdown would add up
    to it) with a recorded value."""
    open_rows = ~frame["suppressed"].astype(bool) & (frame["breakdown_value"] != NOT_RECORDED)
    return frame.loc[open_rows, "breakdown_value"].astype(str).tolist()


def checked(path: DrillPath, ind: Indicator, bars: Callable[[DrillPath, str], pd.DataFrame]) -> tuple[DrillPath, bool]:
    """The longest part of a path (from a link) that the dashboard itself could have made: each step's
    dimension one of the indicator's breakdowns not used before, its value a drillable bar of the level above
    (`bars(path, dimension)` is that level's breakdown). Returns the path kept and whether it was all valid."""
    kept = DrillPath(path.indicator_id)
    for dimension, value in path.steps:
        if (
            dimension not in ind.breakdowns
            or dimension in kept.where()
            or value not in drillable(bars(kept, dimension))
        ):
            return kept, False
        kept = kept.down(dimension, value)
    return kept, True


def chartable(indicators: list[Indicator]) -> list[Indicator]:
    """Those of a page's indicators with a drill-down chart: breakdowns of the partnership's own records."""
    return [i for i in indicators if i.breakdowns and i.local]


def stand_in(indicator_id: str, charted: list[Indicator], registry_indicators: dict[str, Indicator]) -> str:
    """The drill-down to open for an indicator with no chart of its own: one of the page's charts counting the same
    thing (referrals per 10,000 opens referrals by source), else the page's first chart."""
    wanted = registry_indicators.get(indicator_id)
    same = [i.id for i in charted if wanted is not None and i.numerator == wanted.numerator]
    return indicator_id if indicator_id in {i.id for i in charted} else (same or [charted[0].id])[0]


def label(value: object, dimension: str | None = None) -> str:
    """The words shown for a breakdown dimension (`label(dimension)`) or for a value of one (`label(value,
    dimension)`): registry/labels.toml's, else the code with _ as a space."""
    if dimension == "month":
        return month_words(value)  # '2019-11' as 'November 2019', on an axis, a breadcrumb or a list
    return labels.dimension(str(value)) if dimension is None else labels.value(dimension, value)


def _in_a_sentence(words: str) -> str:
    """'Presenting issue' as 'presenting issue', 'RAG' as it is."""
    return words[:1].lower() + words[1:] if words[1:2].islower() else words


def value_labels(values: Sequence[object], dimension: str) -> list[str]:
    """label(value, dimension) for each, told apart where two codes share words (a file may hold both 'nfa' and
    'no_further_action'): a chart would draw two bars at one place on its axis, a list would repeat a choice."""
    words = [label(v, dimension) for v in values]
    shared = {w for w in words if words.count(w) > 1}
    return [f"{w} ({v})" if w in shared else w for w, v in zip(words, values)]


def breakdown_finding(
    ind: Indicator, frame: pd.DataFrame, dimension: str, period: str, where: Sequence[tuple[str, str]] = ()
) -> str:
    """A title that states what the breakdown shows, in words: of the drill-down's selection (`where`, its steps),
    e.g. 'Contacts to the front door where source is Police, by month, 2019-20 Q3: ...'; a month chosen on the way
    down is the period."""
    months = [value for dim, value in where if dim == "month"]
    period = month_words(months[-1]) if months else period_words(period, brief=True)  # often in brackets
    chosen = [f"{_in_a_sentence(label(dim))} is {label(value, dim)}" for dim, value in where if dim != "month"]
    within = f" where {' and '.join(chosen)}" if chosen else ""
    shown = frame[~frame["suppressed"].astype(bool) & (frame["breakdown_value"] != NOT_RECORDED)]
    if shown.empty:
        return f"{ind.title}{within} by {label(dimension)}, {period}: all values suppressed (small numbers)"
    top = shown.loc[shown["value"].astype(float).idxmax()]
    # a hidden value (small numbers, or hidden so that one cannot be worked out) may be higher or lower than any
    # shown: the highest is then only the highest of those shown (a proportion of 3 in 80 can top the chart)
    hidden = int((frame["suppressed"].astype(bool) & (frame["breakdown_value"] != NOT_RECORDED)).sum())
    of_shown = " of those shown" if hidden else ""
    if dimension == "month":
        low = shown.loc[shown["value"].astype(float).idxmin()]
        note = f"; {hidden} month{'s' if hidden > 1 else ''} hidden to protect small numbers" if hidden else ""
        return (
            f"{ind.title}{within}, by month, {period}: highest{of_shown} in {month_words(top['breakdown_value'])} "
            f"({format_value(top['value'], ind)}), lowest{of_shown} in {month_words(low['breakdown_value'])} "
            f"({format_value(low['value'], ind)}){note}"
        )
    value = label(top["breakdown_value"], dimension)
    note = f"; {hidden} hidden to protect small numbers" if hidden else ""
    if ind.statistic in ("count", "amount"):
        total = frame.attrs.get("total", frame["numerator"].sum())
        share = f" of {total:,.0f}" if total else ""
        return (
            f"{value[:1].upper()}{value[1:]} is the largest {label(dimension)}{within}{',' if within and hidden else ''}{of_shown}: "
            f"{format_value(top['value'], ind)}{share} ({period}){note}"
        )
    return (
        f"{ind.title}{within} is highest{of_shown} for {label(dimension)} '{value}': {format_value(top['value'], ind)} "
        f"({period}){note}"
    )
