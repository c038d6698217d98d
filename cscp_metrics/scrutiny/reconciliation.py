"""The partnership's own figure against DfE's published one for the same council and year, with a status."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from cscp_metrics.indicators import areas
from cscp_metrics.indicators.disclosure import is_small
from cscp_metrics.indicators.engine import DFE_PUBLISHED, compute, population
from cscp_metrics.indicators.periods import parse_period
from cscp_metrics.indicators.registry import Registry, load_registry
from cscp_metrics.indicators.summary import restated
from cscp_metrics.scrutiny.league import figure_text

# A count within 10% of the census is the usual gap between a live extract and the validated year-end
# return (late recording, corrections, DfE's counting of re-referrals across the whole history); beyond it
# nobody has explained the gap yet.
EXPLAINED_SHARE = 0.10
STATUSES = ("matches", "differs: census revision or definition", "unexplained")
# each status as a verb phrase, for one figure and for several; a rate on another population base can have DfE's
# count and still read differently (the reason says so)
STATUS_WORDS = {
    "matches": ("has DfE's count", "have DfE's count"),
    "differs: census revision or definition": (
        "differs from DfE's count by 10% or less (the usual gap of a census revision or a definition)",
        "differ from DfE's count by 10% or less (the usual gap of a census revision or a definition)",
    ),
    "unexplained": (
        "differs from DfE's count by more than 10%, not yet explained",
        "differ from DfE's count by more than 10%, not yet explained",
    ),
}
STATUS_SHORT = {"matches": "same count", STATUSES[1]: "within 10%", STATUSES[2]: "over 10%, not explained"}
SAME = "the same count and base"
COLUMNS = [
    "indicator_id",
    "title",
    "period",
    "local_numerator",
    "dfe_numerator",
    "local_denominator",
    "dfe_denominator",
    "local_value",
    "local_value_on_dfe_base",
    "dfe_value",
    "difference",
    "status",
    "reason",
]


def reconcile(con: duckdb.DuckDBPyConnection, period: str, registry: Registry | None = None) -> pd.DataFrame:
    """One row per indicator DfE also publishes for the partnership, for a financial year."""
    registry = registry or load_registry()
    own = areas.partnership_area(con)
    if own is None or parse_period(period).kind != "year":
        return pd.DataFrame(columns=COLUMNS)
    rows = []
    for ind in registry.indicators.values():
        if not (ind.dfe_reference and ind.local):
            continue
        local = compute(con, ind.id, period, registry=registry).iloc[0]
        dfe = compute(con, ind.id, period, area=own, basis="dfe", registry=registry).iloc[0]
        if pd.isna(dfe["value"]) or pd.isna(local["value"]) or str(local["source"]).startswith(DFE_PUBLISHED):
            continue  # no local records for the year: the council's figure is DfE's, nothing to reconcile
        rows.append(_row(con, ind, period, own, local, dfe))
    return pd.DataFrame(rows, columns=COLUMNS)


def _row(con, ind, period: str, own: str, local: pd.Series, dfe: pd.Series) -> dict:
    x, dx = float(local["numerator"]), float(dfe["numerator"])
    on_dfe_base = float(local["value"])
    reasons = []
    if ind.per_population:
        ons = population(con, own, parse_period(period), "ons")
        on_dfe_base = float(restated(ind, local, ons)["value"]) if ons else np.nan  # the tile's restatement
        if not pd.isna(local["denominator"]) and ons and float(local["denominator"]) != ons:
            reasons.append(  # not a reason for the difference: both sides are compared on DfE's base
                f"ours set on DfE's ONS base of {ons:,.0f} children, not the partnership's "
                f"{float(local['denominator']):,.0f}"
            )
    same = x == dx and (ind.statistic != "proportion" or float(local["denominator"]) == float(dfe["denominator"]))
    if not same:
        gap = (x - dx) / dx if dx else np.inf
        reasons.insert(0, f"count {x:,.0f} locally against {dx:,.0f} in DfE's census ({gap:+.1%})")
        if ind.statistic == "proportion":
            reasons.insert(1, f"out of {float(local['denominator']):,.0f} against {float(dfe['denominator']):,.0f}")
    share = abs(x - dx) / dx if dx else (0.0 if x == dx else np.inf)
    status = STATUSES[0] if same else STATUSES[1] if share <= EXPLAINED_SHARE else STATUSES[2]
    if same and reasons:
        reasons.append("the counts agree")
    return {
        "indicator_id": ind.id,
        "title": ind.title,
        "period": period,
        "local_numerator": x,
        "dfe_numerator": dx,
        "local_denominator": local["denominator"],
        "dfe_denominator": dfe["denominator"],
        "local_value": float(local["value"]),
        "local_value_on_dfe_base": on_dfe_base,
        "dfe_value": float(dfe["value"]),
        # on one base: 300 plans started locally against DfE's 266 is higher (77.8 against 69.0 per 10,000 on DfE's
        # population), not lower as the own base's 60.9 would have it
        "difference": (float(local["value"]) if pd.isna(on_dfe_base) else on_dfe_base) - float(dfe["value"]),
        "status": status,
        "reason": "; ".join(reasons) or SAME,
    }


def sentence(row: pd.Series, registry: Registry | None = None) -> str:
    """At DfE's precision, and a rate on DfE's population base as its tile reads (65.6, not the own base's 51.3)."""
    ind = (registry or load_registry()).indicators[row["indicator_id"]]
    local, dfe = figure_text(compared_value(row), ind), figure_text(row["dfe_value"], ind)
    base = " on DfE's population base" if compared_value(row) != row["local_value"] else ""
    return (
        f"{ind.title} {row['period']}: {local} locally{base} against {dfe} published by DfE: "
        f"{STATUS_WORDS[row['status']][0]} ({row['reason']})."
    )


def compared_value(row: pd.Series) -> float:
    """The local figure set against DfE's: a rate on DfE's population base where it is known, as the tile shows it."""
    moved = row.get("local_value_on_dfe_base")
    return float(row["local_value"]) if moved is None or pd.isna(moved) else float(moved)


def counts_sentence(statuses: pd.Series) -> str:
    """e.g. 'Of 8 figures DfE also publishes: 3 have DfE's count, 4 differ from DfE's count by 10% or less (...), 1
    differs from DfE's count by more than 10%, not yet explained.'"""
    counts = statuses.value_counts()
    parts = [f"{n} {STATUS_WORDS[status][n != 1]}" for status in STATUSES if (n := int(counts.get(status, 0)))]
    total = int(counts.sum())
    return f"Of {total} figure{'s' if total != 1 else ''} DfE also publishes: {', '.join(parts)}."


def shown(frame: pd.DataFrame, public: bool) -> pd.DataFrame:
    """The rows a view may show: in the public one, none with a local or DfE count of 1 to 5."""
    if not public or frame.empty:
        return frame
    return frame[~(is_small(frame["local_numerator"]) | is_small(frame["dfe_numerator"]))]
