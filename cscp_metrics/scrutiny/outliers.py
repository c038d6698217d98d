"""Where to look: every indicator checked against comparators, its own past, its breakdowns and all LAs."""

from __future__ import annotations

import pandas as pd

from cscp_metrics.council import comparators
from cscp_metrics.indicators import labels
from cscp_metrics.indicators.areas import partnership_area, partnership_name
from cscp_metrics.indicators.disclosure import is_small
from cscp_metrics.indicators.engine import compute, population
from cscp_metrics.indicators.links import page_link
from cscp_metrics.indicators.periods import Period, month_words, parse_period, period_words
from cscp_metrics.indicators.registry import Indicator, Registry
from cscp_metrics.indicators.summary import (
    basis_label,
    comparator_value,
    format_value,
    from_dfe,
    monthly_series,
    on_comparator_base,
    restated,
    sentence,
)
from cscp_metrics.scrutiny import league, reconciliation
from cscp_metrics.scrutiny.signals import Signal, direction_by_polarity, gap, gap_sentence, interval_998
from cscp_metrics.stats.change import count_change_p, proportion_change_p
from cscp_metrics.stats.significance import compare
from cscp_metrics.stats.spc import MIN_POINTS, rule_words, xmr

ORDINAL = {1: "st", 2: "nd", 3: "rd"}


def _small(x: object) -> bool:
    """The disclosure rule (a count of 1-5) for one value."""
    return bool(is_small(pd.Series([x], dtype=float)).iloc[0])


def comparator_signals(con, ind: Indicator, period: str, row: pd.Series, public: bool) -> list[Signal]:
    """One signal per indicator: the partnership against every comparator, on the comparators' basis, in one sentence."""
    if ind.statistic not in ("proportion", "rate") or pd.isna(row["value"]) or parse_period(period).kind != "year":
        return []
    given, row = row, on_comparator_base(con, ind, row, parse_period(period))
    basis = basis_label(ind, row is not given, given.get("source", ""))
    x, n = float(row["numerator"]), float(row["denominator"])
    hidden = public and _small(x)
    tested = []
    for key, name in comparators(con).items():
        comp = comparator_value(con, ind, parse_period(period), key)
        if comp is not None:
            tested.append(
                (key, name, comp, compare(float(row["lower_ci"]), float(row["upper_ci"]), comp, ind.polarity))
            )
    if not tested:
        return []
    different = [t for t in tested if t[3] != "similar"]
    key, name, comp, result = different[0] if different else tested[0]  # England first when it differs
    lo998, hi998 = interval_998(ind, x, n)
    evidence = max((2 if not lo998 <= c <= hi998 else 1 for _, _, c, _ in different), default=0)
    children, g_lo, g_hi = gap(ind, x, n, comp)
    text = sentence(ind, row["value"], row["numerator"], n, period, name, comp, result, basis, hidden)
    if not hidden:
        value, others = float(row["value"]), [t for t in tested if t[0] != key]
        text = text[:-1] + _others(ind, value, others, _compared_words(value, comp, result)) + "."
        if result != "similar":
            text += gap_sentence(ind, name, children, g_lo, g_hi)
    return [
        Signal(
            indicator_id=ind.id,
            title=ind.title,
            period=period,
            area="partnership",
            kind="significance",
            comparator=name,
            direction=result,
            value=None if hidden else float(row["value"]),
            comparator_value=comp,
            numerator=None if hidden else x,
            suppressed=hidden,
            denominator=n,
            lower_ci=None if hidden else float(row["lower_ci"]),
            upper_ci=None if hidden else float(row["upper_ci"]),
            children_gap=None if hidden else children,
            children_gap_lower=None if hidden else g_lo,
            children_gap_upper=None if hidden else g_hi,
            evidence=evidence,
            sentence=text,
            statistic=ind.statistic,
            link=page_link(ind, period),
        )
    ]


def _others(ind: Indicator, value: float, tested: list[tuple[str, str, float, str]], lead: str) -> str:
    """'; also significantly higher than London (36.7) and Statistical neighbours (37.0); similar to ...': 'also'
    only where the finding is the lead comparator's (`lead`, as _compared_words gives it)."""
    groups: dict[str, list[str]] = {}
    for _, name, comp, result in tested:
        groups.setdefault(_compared_words(value, comp, result), []).append(f"{name} ({format_value(comp, ind)})")
    ordered = sorted(groups.items(), key=lambda group: group[0] != lead)  # the lead's finding first, then the rest
    return "".join(f"; {'also ' if word == lead else ''}{word} {_and(names)}" for word, names in ordered)


def _compared_words(value: float, comp: float, result: str) -> str:
    if result == "similar":
        return "similar to"
    return "significantly higher than" if value > comp else "significantly lower than"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def breakdown_signals(
    con, ind: Indicator, period: str, row: pd.Series, public: bool, registry: Registry
) -> list[Signal]:
    """Breakdown values (agency, age, ward...) significantly different from the partnership's own overall value."""
    if ind.statistic != "proportion" or pd.isna(row["value"]):
        return []
    overall, out, own = float(row["value"]), [], partnership_name(con)
    for dim in (d for d in ind.breakdowns if d != "month"):
        frame = compute(con, ind.id, period, breakdown=dim, registry=registry).dropna(
            subset=["value", "breakdown_value"]
        )
        for _, b in frame.iterrows():
            x, n = float(b["numerator"]), float(b["denominator"])
            result = compare(float(b["lower_ci"]), float(b["upper_ci"]), overall, ind.polarity)
            if result == "similar" or (public and (_small(x) or _small(n - x))):
                continue
            lo998, hi998 = interval_998(ind, x, n)
            children, g_lo, g_hi = gap(ind, x, n, overall)
            value = labels.value(dim, b["breakdown_value"])
            word = "higher" if float(b["value"]) > overall else "lower"
            text = (
                f"{ind.title}, {labels.dimension(dim)}: {value}, {period_words(period, brief=True)}: "
                f"{format_value(b['value'], ind)} "
                f"({x:,.0f} of {n:,.0f}), significantly {word} than {own} overall ({format_value(overall, ind)})"
                f"{': ' + result if result in ('better', 'worse') else ''}."
                + gap_sentence(ind, own, children, g_lo, g_hi)
            )
            out.append(
                Signal(
                    indicator_id=ind.id,
                    title=ind.title,
                    period=period,
                    area="partnership",
                    breakdown=dim,
                    breakdown_value=str(b["breakdown_value"]),
                    kind="breakdown",
                    comparator="partnership overall",
                    direction=result,
                    value=float(b["value"]),
                    comparator_value=overall,
                    numerator=x,
                    denominator=n,
                    lower_ci=float(b["lower_ci"]),
                    upper_ci=float(b["upper_ci"]),
                    children_gap=children,
                    children_gap_lower=g_lo,
                    children_gap_upper=g_hi,
                    evidence=2 if not lo998 <= overall <= hi998 else 1,
                    sentence=text,
                    statistic=ind.statistic,
                    link=page_link(ind, period, {dim: str(b["breakdown_value"])}),
                )
            )
    return out


def spc_signals(con, ind: Indicator, period: str, public: bool) -> list[Signal]:
    return spc_signal_from_series(ind, period, monthly_series(con, ind, parse_period(period)), public)


def spc_signal_from_series(ind: Indicator, period: str, series: pd.DataFrame, public: bool) -> list[Signal]:
    """series: period (YYYY-MM), value, numerator; the latest special-cause month inside the period, if any."""
    p = parse_period(period)
    values = series["value"].astype(float)
    if values.notna().sum() < MIN_POINTS:
        return []
    series = series[values.notna()].reset_index(drop=True)
    chart = xmr(values.dropna().to_numpy())
    in_period = series["period"] >= f"{p.start:%Y-%m}"
    flagged = chart[(chart["special_high"] | chart["special_low"]) & in_period.to_numpy()]
    if flagged.empty:
        return []
    last = flagged.index[-1]
    point, month = chart.loc[last], series.loc[last, "period"]
    high = bool(point["special_high"])
    rule = rule_words(point, "month")
    numerator = series.loc[last, "numerator"]
    hidden = public and _small(numerator)
    shown = format_value(point["value"], ind, hidden)
    direction = direction_by_polarity(high, ind.polarity)
    text = (
        f"{ind.title}: {shown} in {month_words(month)} is {rule} (average {format_value(point['mean'], ind)}, limits "
        f"{format_value(max(point['lcl'], 0), ind)} to {format_value(point['ucl'], ind)}, 24 months): special "
        f"cause variation, {'high' if high else 'low'}{' (' + direction + ')' if direction in ('better', 'worse') else ''}."
    )
    return [
        Signal(
            indicator_id=ind.id,
            title=ind.title,
            period=period,
            area="partnership",
            breakdown="month",
            breakdown_value=month,
            kind="spc",
            comparator="own 24-month average",
            direction=direction,
            value=None if hidden else float(point["value"]),
            suppressed=hidden,
            comparator_value=float(point["mean"]),
            evidence=2 if point["outside"] else 1,
            sentence=text,
            statistic=ind.statistic,
            link=page_link(ind, period, {}),
        )
    ]


def funnel_signals(con, ind: Indicator, period: str, public: bool = False) -> list[Signal]:
    """The partnership among all LAs on DfE's published figures: funnel position, rank and quartile."""
    if parse_period(period).kind != "year" or not ind.dfe_reference:
        return []
    standing = league.standing(con, ind, period, public)
    if standing is None:
        return []
    beyond = standing.position != "within 95%"
    high = standing.position.startswith("above")
    direction = direction_by_polarity(high, ind.polarity) if beyond else "similar"
    order = "best" if ind.polarity != "neutral" else "highest"
    quart = {1: f"the {order} quarter", 4: f"the {'worst' if order == 'best' else 'lowest'} quarter"}.get(
        standing.quartile, f"quarter {standing.quartile} of 4 (1 = {order})"
    )
    suffix = "th" if 10 <= standing.rank % 100 <= 20 else ORDINAL.get(standing.rank % 10, "th")
    text = (
        f"{ind.title} {period} (DfE's census): {league.figure_text(standing.value, ind)}, {standing.rank}{suffix} {order} of "
        f"the {standing.of} LAs with a figure shown, in {quart}; {standing.position} funnel limits around all LAs' pooled "
        f"{league.figure_text(standing.centre, ind)}."
    )
    return [
        Signal(
            indicator_id=ind.id,
            title=ind.title,
            period=period,
            area="partnership",
            kind="funnel",
            comparator="all LAs (funnel)",
            direction=direction,
            value=standing.value,
            comparator_value=standing.centre,
            evidence=(2 if "99.8" in standing.position else 1) if beyond else 0,
            sentence=text,
            statistic=ind.statistic,
            link=f"/funnel?year={period}&indicator={ind.id}",
        )
    ]


def change_signals(con, ind: Indicator, period: str, row: pd.Series, public: bool, registry: Registry) -> list[Signal]:
    """This period against the same period a year earlier: a change beyond chance."""
    p = parse_period(period)
    if (
        ind.statistic not in ("count", "proportion", "rate")
        or pd.isna(row["value"])
        or not ind.local
        or ind.counts_population
    ):  # the population base is context, not a finding
        return []
    if _counted_again_as_a_rate(con, ind, period, registry):
        return []
    before_label = p.same_period_last_year().label
    before = compute(con, ind.id, before_label, registry=registry).iloc[0]
    if pd.isna(before["value"]) or pd.isna(row["numerator"]) or pd.isna(before["numerator"]):
        return []
    on_one_base = _on_the_tiles_base(con, ind, (row, p), (before, parse_period(before_label)))
    if on_one_base is None:
        return []
    row, before = on_one_base
    x, xb = float(row["numerator"]), float(before["numerator"])
    pvalue = change_p(ind, row, before)
    if pvalue >= 0.05 or (public and (_small(x) or _small(xb))):
        return []
    high = float(row["value"]) > float(before["value"])
    direction = direction_by_polarity(high, ind.polarity)
    verdict = f" ({direction})" if direction in ("better", "worse") else ""
    (children, lower, upper), how_many = _change_in_children(ind, row, before, period_words(before_label, brief=True))
    text = (
        f"{ind.title}: {'rose' if high else 'fell'} from {format_value(before['value'], ind)} in "
        f"{period_words(before_label, brief=True)} to {format_value(row['value'], ind)} in "
        f"{period_words(period, brief=True)}{verdict}, beyond chance (p {_p_text(pvalue)}){how_many}"
    )
    return [
        Signal(
            indicator_id=ind.id,
            title=ind.title,
            period=period,
            area="partnership",
            kind="change",
            comparator=f"same period last year ({before_label})",
            direction=direction,
            value=float(row["value"]),
            comparator_value=float(before["value"]),
            numerator=x,
            denominator=row["denominator"],
            children_gap=children,
            children_gap_lower=lower,
            children_gap_upper=upper,
            evidence=2 if pvalue < 0.002 else 1,
            sentence=text,
            statistic=ind.statistic,
            link=page_link(ind, period),
        )
    ]


def _counted_again_as_a_rate(con, ind: Indicator, period: str, registry: Registry) -> bool:
    """A count whose rate per 10,000 is an indicator too, with a figure (children on a CP plan and the plans per
    10,000): its change is the rate's signal, on each year's population, not a second with a p-value of its own."""
    return ind.statistic == "count" and any(
        other.statistic == "rate"
        and other.numerator == ind.numerator
        and pd.notna(compute(con, other.id, period, registry=registry)["value"].iloc[0])
        for other in registry.indicators.values()
    )


def _change_in_children(
    ind: Indicator, row: pd.Series, before: pd.Series, before_words: str
) -> tuple[tuple[float, float | None, float | None], str]:
    """How many children the change is (positive: fewer now) with its interval, and the words ending the sentence.
    A count's change is the difference; a share's or a rate's is last year's rate applied to this year's
    denominator, so that a change in volume is not read as a change in rate (1,105 episodes with 59.9% interviewed,
    then 1,030 with 32.0%: 287 fewer interviews at the old rate, not the 332 fewer counted). The interval is this
    year's carried through, last year's rate taken as fixed, as a comparator's is."""
    x, xb = float(row["numerator"]), float(before["numerator"])
    if ind.statistic == "count":
        return (xb - x, None, None), f"; {abs(x - xb):,.0f} {'more' if x > xb else 'fewer'} {ind.counts_what}."
    children, lower, upper = gap(ind, x, float(row["denominator"]), float(before["value"]))
    return (children, lower, upper), "." + gap_sentence(ind, before_words, children, lower, upper)


def _on_the_tiles_base(
    con, ind: Indicator, now: tuple[pd.Series, Period], before: tuple[pd.Series, Period]
) -> tuple[pd.Series, pd.Series] | None:
    """Both years as the tile and its trend read them: a rate DfE publishes on DfE's population base (CP plans per
    10,000: 79.5 to 65.6, not 62.9 to 51.3 on the partnership's own), both on the own base where either year's
    population from DfE is not known. None where one year is local records and the other DfE's census: two sources
    are not a change (the reconciliation sets them side by side)."""
    rows = (now[0], before[0])
    published = [from_dfe(row.get("source", "")) for row in rows]
    if published[0] != published[1]:
        return None
    if all(published) or not (ind.per_population and ind.dfe_reference):
        return rows
    own = partnership_area(con)
    bases = [population(con, own, period, "ons") if own else None for _, period in (now, before)]
    if not all(bases):
        return rows
    return restated(ind, rows[0], bases[0]), restated(ind, rows[1], bases[1])


def change_p(ind: Indicator, now: pd.Series, before: pd.Series) -> float:
    """Two-sided p-value of the change between two engine rows of one indicator (numerator, denominator)."""
    x, xb = float(now["numerator"]), float(before["numerator"])
    if ind.statistic == "proportion":
        return proportion_change_p(x, float(now["denominator"]), xb, float(before["denominator"]))
    if ind.statistic == "rate":
        return count_change_p(x, xb, float(now["denominator"]), float(before["denominator"]))
    return count_change_p(x, xb)


def reconciliation_signals(con, period: str, registry: Registry) -> list[Signal]:
    frame = reconciliation.reconcile(con, period, registry)
    out = []
    for _, r in frame.iterrows():
        ind = registry.indicators[r["indicator_id"]]
        direction = "similar" if r["status"] == "matches" else ("higher" if r["difference"] > 0 else "lower")
        out.append(
            Signal(
                indicator_id=ind.id,
                title=ind.title,
                period=period,
                area="partnership",
                kind="reconciliation",
                comparator="DfE published",
                direction=direction,
                value=reconciliation.compared_value(r),
                comparator_value=r["dfe_value"],
                numerator=r["local_numerator"],
                children_gap=r["dfe_numerator"] - r["local_numerator"],
                evidence=1 if r["status"] == "unexplained" else 0,
                status=r["status"],
                statistic=ind.statistic,
                sentence=reconciliation.sentence(r, registry),
                link=page_link(ind, period),
            )
        )
    return out


def _p_text(pvalue: float) -> str:
    return "< 0.001" if pvalue < 0.001 else f"= {pvalue:.3f}"
