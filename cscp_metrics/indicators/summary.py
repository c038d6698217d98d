"""What a screen says about an indicator: value, comparator, significance, trend, SPC, the finding in words."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import duckdb
import pandas as pd

from cscp_metrics.council import comparators
from cscp_metrics.indicators import linked_views, series
from cscp_metrics.indicators.areas import COMPARATORS, partnership_area
from cscp_metrics.indicators.disclosure import (
    NOT_RECORDED,
    number,
    quarters_add_up,
    suppress_breakdown,
    suppress_rows,
)
from cscp_metrics.indicators.engine import DFE_PUBLISHED, compute, population
from cscp_metrics.indicators.periods import Period, month_words, parse_period, period_words
from cscp_metrics.indicators.registry import Indicator, load_registry
from cscp_metrics.indicators.shown_cells import SUPPRESSED
from cscp_metrics.stats.significance import compare
from cscp_metrics.stats.spc import MIN_POINTS, variation_icon, xmr
from cscp_metrics.stats.table import STATISTICS


def format_value(value: float | None, ind: Indicator, hidden: bool = False, decimals: int | None = None) -> str:
    """A figure as text at the indicator's unit and decimals (or `decimals`); 'c' when disclosure control hides it."""
    if hidden:
        return SUPPRESSED
    figure = number(value)
    if figure is None:
        return "—"
    places = ind.decimals if decimals is None else decimals
    if ind.statistic == "proportion":
        return f"{figure:.{places}f}%"
    if ind.statistic == "change":
        return f"{figure:+.{places}f}%"
    if ind.statistic == "amount":
        return f"£{figure:,.0f}"
    if ind.statistic == "rate":
        return f"{figure:,.{places}f}"
    return f"{figure:,.0f}"


@dataclass(frozen=True)
class Tile:
    indicator: Indicator
    period: str
    value: float | None  # value, numerator, lower and upper are NaN when `suppressed`
    numerator: float | None
    denominator: float | None  # NaN when `denominator_suppressed`
    lower: float | None
    upper: float | None
    suppressed: bool
    denominator_suppressed: bool
    comparator: str
    comparator_value: float | None
    significance: str
    spc: str
    trend: pd.DataFrame = field(repr=False)  # TREND_COLUMNS
    sentence: str = ""
    basis: str = ""  # what the big number is: local case records on DfE's population base, DfE's figures...
    own_base_note: str = ""  # restated: the own-base figure, once; on the own base: which base (own_base_used_note)
    trend_note: str = ""  # where the trend's years come from, when not all from one place (trend_sources)

    @property
    def value_text(self) -> str:
        return format_value(self.value, self.indicator, self.suppressed)

    @property
    def has_interval(self) -> bool:
        """A 95% interval to show: one computed and not hidden (a hidden one is NaN)."""
        return self.lower is not None and not pd.isna(self.lower)


def _row(
    con: duckdb.DuckDBPyConnection, ind: Indicator, period: str, public: bool, area: str | None = None
) -> pd.Series:
    if not public or area is not None:
        return compute(con, ind.id, period, area=area).iloc[0]
    return public_totals(con, ind, [parse_period(period).label]).iloc[0]


def public_totals(
    con: duckdb.DuckDBPyConnection, ind: Indicator, labels: list[str], fast: bool = False
) -> pd.DataFrame:
    """Total rows for these periods as tiles and trends show them publicly. A quarter comes with its year's
    other quarters, whose total the year's tile shows (disclosure.suppress_rows). `fast`: from the aggregates
    in one pass where they answer (trends); otherwise one engine call per period (tiles)."""
    needed = labels
    if quarters_add_up(ind, load_registry()):
        needed = list(
            dict.fromkeys(f"{label[:7]}-Q{q}" if "-Q" in label else label for label in labels for q in range(1, 5))
        )
    frame = series.totals(con, ind, [parse_period(label) for label in needed], load_registry()) if fast else None
    if frame is None:
        frame = pd.concat([compute(con, ind.id, label) for label in needed], ignore_index=True)
    frame = suppress_rows(frame, ind.disclosure == "children", quarters_add_up(ind, load_registry()))
    return frame[frame["period"].isin(labels)].reset_index(drop=True)


# a tile's trend: a hidden year's value is NaN, and suppressed; published: the year's figure is DfE's (no local
# record covers it)
TREND_COLUMNS = ("period", "value", "suppressed", "published")


def is_published(sources: pd.Series) -> pd.Series:
    """Which of the engine's rows are DfE's published figure for the council (its `source` column)."""
    return sources.astype(str).str.startswith(DFE_PUBLISHED).astype(bool)


def comparator_value(con: duckdb.DuckDBPyConnection, ind: Indicator, period: Period, comparator: str) -> float | None:
    if not comparator or comparator == "none":
        return None
    area = comparators(con).get(comparator, comparator)
    frame = compute(con, ind.id, period.financial_year_of(), area="sn" if comparator == "sn" else area)
    value = frame["value"].iloc[0]
    return None if pd.isna(value) else float(value)


def yearly_trend(
    con: duckdb.DuckDBPyConnection, ind: Indicator, period: Period, public: bool, years: int = 6
) -> pd.DataFrame:
    labels = [period.shifted(-12 * back).label for back in range(years - 1, -1, -1)]  # the same period in earlier years
    if public:
        frame = public_totals(con, ind, labels, fast=True)
    else:
        frame = series.totals(con, ind, [parse_period(label) for label in labels], load_registry())
        if frame is None:  # not answerable from the aggregates: one engine call per period
            frame = pd.DataFrame([_row(con, ind, label, public) for label in labels])
        frame = frame.assign(suppressed=False)
    frame = frame.assign(published=is_published(frame["source"]))
    return frame[list(TREND_COLUMNS)].reset_index(drop=True)


def monthly_series(con: duckdb.DuckDBPyConnection, ind: Indicator, period: Period, months: int = 24) -> pd.DataFrame:
    """The 24 months ending at the period's end, for SPC (event-based case-level indicators only)."""
    registry = load_registry()
    if not ind.local or ind.counts_population or ind.from_returns or ind.statistic not in ("count", "proportion"):
        return pd.DataFrame(columns=["period", "value"])
    if registry.measure(ind.numerator).kind == "snapshot":
        return pd.DataFrame(columns=["period", "value"])
    last = Period.month(period.end.year, period.end.month)
    span = Period.span(last.shifted(-months).start, period.end)
    frame = compute(con, ind.id, span, breakdown="month")
    frame = frame[frame["breakdown_value"].notna()].sort_values("breakdown_value").tail(months)
    return frame.drop(columns="period").rename(columns={"breakdown_value": "period"})[
        ["period", "value", "numerator", "denominator"]
    ]


def spc_state(series: pd.DataFrame, ind: Indicator) -> str:
    if len(series) < MIN_POINTS:
        return "too few points for SPC"
    values = series["value"].astype(float).dropna()
    if len(values) < MIN_POINTS:
        return "too few points for SPC"
    return variation_icon(xmr(values.to_numpy()), ind.polarity)


def on_comparator_base(con: duckdb.DuckDBPyConnection, ind: Indicator, row: pd.Series, period: Period) -> pd.Series:
    """A rate per 10,000 children restated on DfE's population (ONS mid-year estimate for the year before), so
    that it is compared with England and the other DfE rates on the same base, not the partnership's own."""
    if not ind.per_population or row.get("suppressed", False) or pd.isna(row["numerator"]):
        return row
    return restated(ind, row, population(con, partnership_area(con), period, "ons"))


def restated(ind: Indicator, row: pd.Series, ons: float | None) -> pd.Series:
    """on_comparator_base given DfE's population for the year (None: not known, and the row stays as it is)."""
    if not ind.per_population or row.get("suppressed", False) or pd.isna(row["numerator"]):
        return row
    if not ons or ons == row["denominator"]:
        return row
    found = STATISTICS["rate"](float(row["numerator"]), ons, multiplier=ind.multiplier).iloc[0]
    out = row.copy()
    out["denominator"], out["value"], out["lower_ci"], out["upper_ci"] = (
        ons,
        float(found["value"]),
        float(found["lower"]),
        float(found["upper"]),
    )
    return out


LOCAL_RECORDS = "local case records"
ON_DFE_BASE = "local case records on DfE's population base"
ON_OWN_BASE = "the partnership's own population base"
DFE_FIGURES = "DfE's published figures"


def basis_label(ind: Indicator, restated: bool, source: object) -> str:
    """What a partnership figure set beside a DfE comparator is: its local records (restated on DfE's population
    base where the bases differ), its partners' returns, or, in a year no local record covers, DfE's own figure for
    the area (`source`, the engine's source column, says which)."""
    if from_dfe(source):
        return DFE_FIGURES
    if restated:
        return ON_DFE_BASE
    return "partner returns" if ind.from_returns else LOCAL_RECORDS


def own_base_note(con: duckdb.DuckDBPyConnection, ind: Indicator, own: pd.Series, period: Period) -> str:
    """e.g. 'The same count on the partnership's own population base: 51.3 (ONS mid-2017 estimate, the base the
    2019-20 annual report used for every year: 49,275 children)': the one place the own-base figure appears."""
    return base_note(ind, own, base_vintage(con, period))


def base_vintage(con: duckdb.DuckDBPyConnection, period: Period) -> str | None:
    """The vintage of the partnership's own population base for the period's year (None: no own base)."""
    row = con.execute(
        "SELECT vintage FROM population WHERE area_code = ? AND mid_year = ? AND source = 'partnership' "
        "ORDER BY vintage DESC",
        [partnership_area(con), period.fy_start_year],
    ).fetchone()
    return row[0] if row else None


def base_note(ind: Indicator, own: pd.Series, vintage: str | None) -> str:
    source = f"{vintage}: " if vintage else ""
    return (
        f"The same count on the partnership's own population base: {format_value(own['value'], ind)} "
        f"({source}{float(own['denominator']):,.0f} children)"
    )


def own_base_used_note(ind: Indicator, own: pd.Series, vintage: str | None) -> str:
    """The base of a rate shown on the partnership's own population (no DfE comparator beside it: a quarter, or an
    indicator DfE does not publish), so that it is not read against a DfE-based rate of the same count."""
    if not ind.per_population or pd.isna(own["denominator"]) or (pd.isna(own["value"]) and not own["suppressed"]):
        return ""  # not a rate per 10,000, or no figure to say the base of
    source = f"{vintage}: " if vintage else ""
    return f"Per 10,000 of the partnership's own population base ({source}{float(own['denominator']):,.0f} children)"


def sentence(
    ind: Indicator,
    tile_value: float | None,
    numerator: float | None,
    denominator: float | None,
    period: str,
    comparator: str,
    comp_value: float | None,
    significance: str,
    basis: str = "",
    hidden: bool = False,
) -> str:
    """The finding in words, e.g. 'Re-referrals within 12 months, 2019-20: 8.1% (119 of 1,475) in local case
    records, significantly lower than England (22.6%): better.' `hidden`: the figure is suppressed."""
    shown = format_value(tile_value, ind, hidden)
    period = period_words(period)
    if hidden:
        return f"{ind.title}, {period}: suppressed (a small number of children; shown as c)."
    counts = ""
    num, den = number(numerator), number(denominator)
    if ind.statistic == "proportion" and num is not None and den is not None:
        counts = f" ({num:,.0f} of {den:,.0f})"
    text = f"{ind.title}, {period}: {shown}{counts}{' in ' + basis if basis else ''}"
    if comp_value is None:
        return text + "."
    comp_shown = format_value(comp_value, ind)
    name = COMPARATORS.get(comparator, comparator)
    if significance == "similar":
        return f"{text}, similar to {name} ({comp_shown})."
    if significance in ("better", "worse", "higher", "lower"):
        direction = "higher" if (number(tile_value) or 0.0) > comp_value else "lower"
        verdict = f": {significance}" if significance in ("better", "worse") else ""
        return f"{text}, significantly {direction} than {name} ({comp_shown}){verdict}."
    return f"{text}; {name}: {comp_shown} (not tested)."


def tile(con: duckdb.DuckDBPyConnection, indicator_id: str, period: str, comparator: str, public: bool) -> Tile:
    """The big number is on the comparator's basis whenever a comparator is shown: value, interval, significance and
    sentence all come from one row; the partnership's own-base figure is kept for one labelled line."""
    from cscp_metrics.indicators.tile_inputs import LiveInputs

    return tile_from(LiveInputs(con), indicator_id, period, comparator, public)


def tile_from(inputs: TileInputs, indicator_id: str, period: str, comparator: str, public: bool) -> Tile:
    """tile() from its inputs: read live from the store, or from a batch computed when the store is published."""
    ind = load_registry().indicators[indicator_id]
    p = parse_period(period)
    own = inputs.total(ind, period, public)
    comparable = p.kind == "year" and ind.statistic in ("proportion", "rate")
    comp = inputs.comparator_value(ind, p, comparator) if comparable else None
    ons = inputs.population(p, "ons")
    # beside a DfE comparator a rate is on DfE's population base, and so is any rate DfE publishes, compared or not:
    # a quarter reads on the year's base (Q4's plans per 10,000 not as a fall from 65.6 to 51.3), a year without
    # England's figure on the base of the years with it
    dfe_scale = comp is not None or (bool(ind.dfe_reference) and ind.local)
    row = restated(ind, own, ons) if dfe_scale else own
    is_restated = row is not own
    basis = basis_label(ind, is_restated, row["source"]) if dfe_scale or _is_dfe(row) else ""
    # hidden or not (the public view's trend and the partnership's show the same figures)
    on_dfe_base = ind.per_population and dfe_scale and (ons is not None or _is_dfe(row))
    sig = "not compared"
    if comp is not None and not row["suppressed"]:
        sig = compare(float(row["lower_ci"]), float(row["upper_ci"]), comp, ind.polarity)
    spc = inputs.spc(ind, p, _is_dfe(row))
    name = inputs.comparators().get(comparator, "")
    trend = inputs.trend(ind, p, public)
    if on_dfe_base:
        trend = restated_trend(trend, inputs.population)
    own_base_note_shown = (
        own_base_used_note(ind, row, inputs.base_vintage(p)) if not (on_dfe_base or _is_dfe(row)) else ""
    )
    if own_base_note_shown:  # in the sentence too: "299 in local case records on the partnership's own population base"
        basis = f"{basis_label(ind, False, row['source'])} on {ON_OWN_BASE}"
    return Tile(
        indicator=ind,
        period=period,
        value=row["value"],
        numerator=row["numerator"],
        denominator=row["denominator"],
        lower=row["lower_ci"],
        upper=row["upper_ci"],
        suppressed=bool(row["suppressed"]),
        denominator_suppressed=bool(row.get("denominator_suppressed", False)),
        comparator=name,
        comparator_value=comp,
        significance=sig,
        spc=spc,
        trend=trend,
        sentence=sentence(
            ind, row["value"], row["numerator"], row["denominator"], period, name, comp, sig, basis, row["suppressed"]
        ),
        basis=basis,
        own_base_note=base_note(ind, own, inputs.base_vintage(p)) if is_restated else own_base_note_shown,
        trend_note=trend_sources(trend, *_trend_words(ind, on_dfe_base)),
    )


def _is_dfe(row: Mapping[str, object]) -> bool:
    return from_dfe(row["source"])


def from_dfe(source: object) -> bool:
    """An engine row's `source` says DfE published the figure (is_published, for one row)."""
    return str(source).startswith(DFE_PUBLISHED)


def _trend_words(ind: Indicator, on_dfe_base: bool) -> tuple[str, str]:
    """What a trend's local and DfE years are: a rate's on one population base, or each on its own (said so)."""
    if not ind.per_population:
        return LOCAL_RECORDS, DFE_FIGURES
    if on_dfe_base:
        return ON_DFE_BASE, DFE_FIGURES
    return f"{LOCAL_RECORDS} on the partnership's own population base", f"{DFE_FIGURES} on DfE's population base"


def spc_text(ind: Indicator, monthly: pd.DataFrame | None, yearly: pd.DataFrame | None) -> str:
    """The tile's variation line: XmR over 24 months of local records, or (yearly given, for a figure DfE
    published) over DfE's years. It judges the latest point only, so it names it: a year's highest figure can end
    on a month low for its run."""
    if yearly is not None:
        return spc_state(yearly, ind) + (f" over {len(yearly)} DfE years" if len(yearly) >= MIN_POINTS else "")
    if monthly is None or monthly.empty:
        return "not charted (SPC needs monthly local counts)"
    spc = spc_state(monthly, ind)
    if not spc.startswith("too few"):
        judged = monthly[monthly["value"].notna()]  # spc_state leaves out a month with no figure
        spc += f" in {month_words(judged['period'].iloc[-1])} ({len(judged)}-month chart)"
    return spc


def restated_trend(trend: pd.DataFrame, population_of: Callable[[Period, str], float | None]) -> pd.DataFrame:
    """A rate's trend with every year on DfE's population base, as the big number beside a DfE comparator is:
    local records' years restated (own base / DfE's base); DfE's published years are on it already. A local year
    whose populations are not both known is left out (NaN), not drawn on another base."""
    moved = ~trend["published"].astype(bool)
    if not moved.any():
        return trend
    out = trend.copy()
    for i in moved[moved].index:
        p = parse_period(out.at[i, "period"])
        own, ons = population_of(p, "partnership"), population_of(p, "ons")
        value = out.at[i, "value"]
        if pd.isna(value):
            continue
        out.at[i, "value"] = float(value) * own / ons if own and ons else float("nan")
    return out


def trend_sources(trend: pd.DataFrame, local_words: str = LOCAL_RECORDS, dfe_words: str = DFE_FIGURES) -> str:
    """Where a trend's years come from, when not all from one place, in year order: e.g. 'Trend years: local case
    records on DfE's population base for 2018-19 to 2020-21; DfE's published figures for 2021-22 to 2023-24' (a
    local record and DfE's figure for one year can differ: DfE's is the council's return as DfE revised it)."""
    # plain lists, not a filtered frame: a publish calls this for every tile (7,419 on the demo)
    cells = zip(
        trend["period"].tolist(), trend["value"].tolist(), trend["suppressed"].tolist(), trend["published"].tolist()
    )
    shown = [(period, bool(published)) for period, value, hidden, published in cells if hidden or not pd.isna(value)]
    periods, kinds = [period for period, _ in shown], [published for _, published in shown]
    if len(set(kinds)) < 2:
        return ""
    runs, start = [], 0
    for i in range(1, len(kinds) + 1):
        if i == len(kinds) or kinds[i] != kinds[start]:  # a run of years from one place ends
            years = periods[start] if i - 1 == start else f"{periods[start]} to {periods[i - 1]}"
            runs.append(f"{dfe_words if kinds[start] else local_words} for {years}")
            start = i
    return "Trend years: " + "; ".join(runs)


class TileInputs(Protocol):
    """What a tile is made from; every answer is the one the live engine gives to the same question."""

    def total(self, ind: Indicator, period: str, public: bool) -> pd.Series: ...

    def comparator_value(self, ind: Indicator, period: Period, comparator: str) -> float | None: ...

    def population(self, period: Period, basis: str) -> float | None: ...

    def base_vintage(self, period: Period) -> str | None: ...

    def spc(self, ind: Indicator, period: Period, dfe_published: bool) -> str: ...

    def comparators(self) -> dict[str, str]: ...

    def trend(self, ind: Indicator, period: Period, public: bool) -> pd.DataFrame: ...


def _age_order(band: object) -> float:
    """'under 1' before '1-4' before '10-15' before '16+'; 'not recorded' last."""
    text = str(band)
    found = re.match(r"(under )?(\d+)", text)
    if found is None:
        return float("inf")
    return int(found.group(2)) - (0.5 if found.group(1) else 0)


def breakdown(
    con: duckdb.DuckDBPyConnection, indicator_id: str, period: str, dimension: str, where: dict[str, str], public: bool
) -> pd.DataFrame:
    """One indicator broken down by a dimension within the drill filters, suppressed for public views."""
    ind = load_registry().indicators[indicator_id]
    frame = compute(con, indicator_id, period, breakdown=dimension, where=where)
    # records without a value for this dimension are a bar of their own, so the bars add up to the total
    frame["breakdown_value"] = (
        frame["breakdown_value"].astype(object).where(frame["breakdown_value"].notna(), NOT_RECORDED)
    )
    total = frame["numerator"].astype(float).sum()
    if dimension == "month":
        frame = frame.sort_values("breakdown_value")
    elif dimension == "age_band":  # youngest first, as ages are read, not by size
        frame = frame.sort_values("breakdown_value", key=lambda v: v.map(_age_order), kind="stable")
    else:
        frame = (
            frame.assign(_n=frame["numerator"].astype(float))
            .sort_values("_n", ascending=False, kind="stable")  # ties in the engine's order of values
            .drop(columns="_n")
        )
    if public:
        also = (
            None
            if ind.disclosure != "children"
            else linked_views.hidden_rows(
                con,
                ind,
                period,
                dimension,
                where,
                frame,
                lambda p, d: breakdown(con, indicator_id, p, d, {}, public=True),
                lambda labels: public_totals(con, ind, labels),
            )
        )
        frame = suppress_breakdown(frame, ind.disclosure == "children", also)
    frame = frame.reset_index(drop=True)
    # published on the tile (secondary suppression keeps cells from it), unless it is itself a small number
    frame.attrs["total"] = None if public and ind.disclosure == "children" and 1 <= total <= 5 else float(total)
    return frame
