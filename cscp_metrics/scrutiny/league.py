"""Every English LA on one DfE indicator: funnel bands around the pooled value of all LAs, rank and quartile
(polarity-aware)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from cscp_metrics.indicators import areas
from cscp_metrics.indicators.disclosure import is_small
from cscp_metrics.indicators.registry import Indicator, Registry
from cscp_metrics.indicators.shown_cells import published
from cscp_metrics.indicators.summary import LOCAL_RECORDS, ON_DFE_BASE, Tile, format_value
from cscp_metrics.read_memo import remembered
from cscp_metrics.stats.funnel import bands, centre_in_range, funnel_limits, pooled

ENGLAND = "E92000001"
FUNNEL_STATISTICS = ("proportion", "rate")
HIDDEN_FIGURES = ("numerator", "denominator", "value", "band", "rank")
AREA_FIELDS = ("area_code", "name", "numerator", "denominator", "value", "band", "rank", "rank_of")
_LA_ROWS = (
    "FROM benchmarks b JOIN areas a USING (area_code) WHERE a.level = 'la' AND b.period = ? "
    "AND b.value IS NOT NULL AND b.numerator IS NOT NULL AND b.denominator > 0"
)


@dataclass(frozen=True)
class Standing:
    """Where the partnership sits among all LAs with a published value."""

    value: float
    rank: int  # 1 = the best end (or the highest, for a neutral indicator)
    of: int
    quartile: int  # 1 = best (or highest) quarter of LAs
    position: str  # funnel band: within 95%, above/below 95% or 99.8%
    centre: float  # the pooled value of all LAs (sum of numerators / sum of denominators)


def figure_text(value: float | None, ind: Indicator, hidden: bool = False) -> str:
    """An LA's figure on the funnel at DfE's precision (one decimal for a percentage or a rate, unless the indicator
    says DfE prints fewer), whatever the tile's: 12.5%, not 12% (rounded from 12.45) beside a table or a
    spreadsheet that reads 12.5; looked after children per 10,000 as DfE prints them, 53, not 53.0."""
    return format_value(value, ind, hidden, decimals=dfe_places(ind))


def dfe_places(ind: Indicator) -> int:
    return ind.dfe_decimals if ind.dfe_decimals is not None else max(ind.decimals, 1)


def rank_note(polarity: str) -> str:
    """What rank 1 means, in words: the best end by polarity, or the highest for a neutral indicator."""
    return {"low_is_good": "rank 1 = lowest, the best", "high_is_good": "rank 1 = highest, the best"}.get(
        polarity, "rank 1 = highest"
    )


def funnel_indicators(con: duckdb.DuckDBPyConnection, registry: Registry, period: str) -> list[Indicator]:
    """Proportions and rates DfE publishes for LAs in `period`, where it publishes England's count and denominator
    too: the centre line is their ratio, the pool of every LA (without them there is no funnel, rather than a centre
    pooled from the LAs DfE did not hide)."""
    have = {
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT b.indicator_id {_LA_ROWS} AND b.indicator_id IN "
            f"(SELECT indicator_id FROM benchmarks WHERE area_code = ? AND period = ? AND value IS NOT NULL "
            "AND numerator IS NOT NULL AND denominator > 0)",
            [period, ENGLAND, period],
        ).fetchall()
    }
    return [i for i in registry.indicators.values() if i.statistic in FUNNEL_STATISTICS and i.id in have]


def la_values(con: duckdb.DuckDBPyConnection, ind: Indicator, period: str) -> pd.DataFrame:
    """area_code, name, numerator, denominator, value, group for every LA DfE publishes a value for."""
    frame = con.execute(
        f"SELECT b.area_code, a.name, b.numerator, b.denominator, b.value {_LA_ROWS} "
        "AND b.indicator_id = ? ORDER BY b.area_code",
        [period, ind.id],
    ).df()
    own = areas.partnership_area(con)
    neighbours = set(areas.neighbours(con, own)) if own else set()
    frame["group"] = np.where(
        frame["area_code"] == own,
        "partnership",
        np.where(frame["area_code"].isin(neighbours), "statistical neighbour", "other LA"),
    )
    return frame


def ranks(values: pd.Series, polarity: str) -> pd.Series:
    """Rank 1 at the best end (lowest when low is good, else highest); ties share the better rank."""
    return values.rank(method="min", ascending=polarity == "low_is_good").astype(int)


@remembered
def funnel_frame(con: duckdb.DuckDBPyConnection, ind: Indicator, period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(each LA with its band and rank; limit curves around the pooled value of every LA, DATA-AND-METHODS.md
    section 3)."""
    points = la_values(con, ind, period)
    if points.empty or ind.statistic not in FUNNEL_STATISTICS:
        return points.iloc[0:0], pd.DataFrame()
    england = con.execute(  # every LA's count over every LA's denominator, those DfE prints as c among them
        "SELECT numerator, denominator FROM benchmarks WHERE indicator_id = ? AND period = ? AND area_code = ? "
        "AND numerator IS NOT NULL AND denominator > 0 ORDER BY source LIMIT 1",
        [ind.id, period, ENGLAND],
    ).fetchone()
    if england is None:
        return points.iloc[0:0], pd.DataFrame()
    centre = pooled(england[0], england[1], ind.multiplier)
    if not centre_in_range(centre, ind.statistic, ind.multiplier):  # all LAs at 0% or 100%: no limits to draw
        return points.iloc[0:0], pd.DataFrame()
    at_own_size = funnel_limits(centre, points["denominator"].to_numpy(), ind.statistic, ind.multiplier)
    points["band"] = bands(points["value"], at_own_size)
    points["rank"], points["rank_of"] = ranks(points["value"], ind.polarity), len(points)
    listed = con.execute(  # every LA row DfE's file has for it, with a figure or with c
        "SELECT count(*) FROM benchmarks b JOIN areas a USING (area_code) WHERE a.level = 'la' AND b.period = ? "
        "AND b.indicator_id = ?",
        [period, ind.id],
    ).fetchone()
    points["unpublished"] = max(int(listed[0] if listed else 0) - len(points), 0)
    # from below the smallest denominator the public view shows: where the curves start must not give one back
    shown = points["denominator"][~is_small(points["denominator"])]
    sizes = np.geomspace(max(shown.min() * 0.8, 1), shown.max() * 1.1, 120)
    curves = funnel_limits(centre, sizes, ind.statistic, ind.multiplier)
    return points, curves


def public_points(points: pd.DataFrame, ind: Indicator) -> pd.DataFrame:
    """The public view of a funnel: an LA whose count or denominator is 1-5 has every figure of its row hidden
    (`suppressed`; its value and denominator give the count back; its band narrows both down)
    and is not drawn; the others are ranked among the published LAs only (a rank among all would bound a hidden
    value)."""
    hidden = (is_small(points["numerator"]) | is_small(points["denominator"])).to_numpy()
    out = points.assign(suppressed=hidden)
    if not hidden.any():
        return out
    out["rank"] = ranks(points.loc[~hidden, "value"], ind.polarity).reindex(out.index)
    out["rank_of"] = int((~hidden).sum())
    for field in HIDDEN_FIGURES:
        out[field] = out[field].where(~hidden)
    return out


def hidden(points: pd.DataFrame) -> pd.Series:
    """The LAs whose figures are hidden (none in the partnership view, whose points have no `suppressed`)."""
    return points["suppressed"] if "suppressed" in points else pd.Series(False, index=points.index)


def shown_figures(points: pd.DataFrame) -> pd.DataFrame:
    """Points as a table or download shows them: 'c' for each figure of a hidden LA (unchanged when none is)."""
    if not hidden(points).any():
        return points
    return published(points, ("rank",), dict.fromkeys(HIDDEN_FIGURES, "suppressed"))


def drawn(points: pd.DataFrame) -> pd.DataFrame:
    """The points whose figures are shown (all of them in the partnership view), with numbers for figures."""
    shown = points[~hidden(points)]
    numbers = {"numerator": float, "denominator": float, "value": float, "rank": int}
    return shown.astype({field: kind for field, kind in numbers.items() if field in shown})


def in_rank_order(points: pd.DataFrame) -> pd.DataFrame:
    """By rank then name, the hidden LAs last (by name)."""
    return points.sort_values(["rank", "name"], na_position="last")


def rank_of(values: pd.Series, own: float, polarity: str) -> tuple[int, int, int]:
    """(rank, of, quartile): rank 1 is the best value, or the highest when the polarity is neutral."""
    rank = int((values < own).sum() if polarity == "low_is_good" else (values > own).sum()) + 1
    of = len(values)
    quartile = min(4, int(np.ceil(rank / of * 4))) if of else 0
    return rank, of, quartile


def standing(con: duckdb.DuckDBPyConnection, ind: Indicator, period: str, public: bool = False) -> Standing | None:
    """None when the partnership has no published figure (in the public view: none of 1-5)."""
    points, curves = funnel_frame(con, ind, period)
    if public:
        points = drawn(public_points(points, ind))
    own = points[points["group"] == "partnership"]
    if own.empty or curves.empty:
        return None
    value = float(own["value"].iloc[0])
    rank, of, quartile = rank_of(points["value"], value, ind.polarity)
    return Standing(
        value=value,
        rank=rank,
        of=of,
        quartile=quartile,
        position=str(own["band"].iloc[0]),
        centre=float(curves["centre"].iloc[0]),
    )


def centre_label(ind: Indicator, period: str, centre: float, brief: bool = False) -> str:
    """What the centre line is; `brief`: the words a chart's legend has room for."""
    if brief:
        return f"all LAs pooled {figure_text(centre, ind)}"
    return (
        f"all LAs pooled {figure_text(centre, ind)} (every LA's count over every LA's {_pooled_over(ind)}: "
        f"England's, DfE {period})"
    )


def _pooled_over(ind: Indicator) -> str:
    return "population" if ind.statistic == "rate" else "denominator"


def headline_parts(ind: Indicator, points: pd.DataFrame, period: str, centre: float) -> tuple[str, str]:
    """(the finding: value, funnel band and rank; the detail: the centre line and the method of the limits)."""
    own = points[points["group"] == "partnership"]
    if own.empty:
        return (
            f"{ind.title}, {period}: all LAs (the partnership's figure is not published)",
            f"Centre line: {centre_label(ind, period, centre)}. {limits_method(ind)}",
        )
    row = own.iloc[0]
    if row.get("suppressed", False):
        return (
            f"{ind.title}, {period}: c for the partnership (a count of 1 to 5, not published); "
            f"the funnel shows the {int(row['rank_of'])} LAs whose figures are published",
            f"Centre line: {centre_label(ind, period, centre)}. {limits_method(ind)}",
        )
    band = str(row["band"])
    where = "within the 95% limits" if band == "within 95%" else band.replace(" ", " the ", 1) + " limit"
    finding = (
        f"{ind.title}, {period}: DfE's figure {figure_text(row['value'], ind)}, {where}; "
        f"rank {int(row['rank'])} of {int(row['rank_of'])} LAs ({rank_note(ind.polarity)})"
    )
    return finding, f"{_ranked_among(points)}Centre line: {centre_label(ind, period, centre)}. {limits_method(ind)}"


def _ranked_among(points: pd.DataFrame) -> str:
    """The ranks are among the LAs with a figure shown: say how many more there are, so 'rank 90 of 90' is not read
    as the last of every LA (61 LAs have c in DfE's file for CP plans lasting 2 years or more, 2019-20)."""
    left_out = int(hidden(points).sum())
    unpublished = int(points["unpublished"].iloc[0]) if "unpublished" in points and len(points) else 0
    more = [
        f"{left_out} more hidden here (a count of 1 to 5)" if left_out else "",
        f"{unpublished} more {'have' if unpublished > 1 else 'has'} no count in DfE's file" if unpublished else "",
    ]
    shown = int(points["rank_of"].max()) if len(points) else 0
    return (
        f"Ranked among the {shown} LAs with a figure shown; {' and '.join(m for m in more if m)}. " if any(more) else ""
    )


def interval_name(ind: Indicator) -> str:
    return "Wilson score" if ind.statistic == "proportion" else "exact Poisson"


def limits_method(ind: Indicator) -> str:
    """How the limits are drawn, in words a scrutineer can recompute from (DATA-AND-METHODS.md section 3)."""
    return f"Limits: the {interval_name(ind)} 95% and 99.8% intervals around the centre line at each LA's size."


def own_figure_line(ind: Indicator, points: pd.DataFrame, tile: Tile) -> str:
    """The partnership's own figure for the year (its tile against England) when it reads differently from the one
    DfE published (a census revision or a definition: Where to look's reconciliation says which), so the two are not
    taken for one; only where both are on one base (DfE's population, or a proportion of local records)."""
    own = points[points["group"] == "partnership"]
    comparable = tile.basis == ON_DFE_BASE or (not ind.per_population and tile.basis == LOCAL_RECORDS)
    if own.empty or bool(own.iloc[0].get("suppressed", False)) or tile.suppressed or not comparable:
        return ""
    shown, local = figure_text(own.iloc[0]["value"], ind), figure_text(tile.value, ind)
    if pd.isna(tile.value) or local == shown:
        return ""
    return f"The partnership's own figure: {local} in {tile.basis}; Where to look sets the two side by side."


def headline(ind: Indicator, points: pd.DataFrame, period: str, centre: float) -> str:
    """The funnel's finding in one line, with its detail."""
    return ". ".join(headline_parts(ind, points, period, centre))
