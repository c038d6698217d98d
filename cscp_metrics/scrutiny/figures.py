"""Check every figure printed in the annual report against the value the engine computes, and say on what basis:
a match recomputed from case records proves far more than one summed from partner returns seeded with it."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd

from cscp_metrics.indicators.engine import compute
from cscp_metrics.indicators.registry import Indicator, Registry, load_registry
from cscp_metrics.indicators.registry.refs import PartnerRef

STATUSES = ("match", "exception", "mismatch")
# What a match on each basis proves, worst-tested last.
BASES = {
    "row-level": "recomputed by the engine from case-level records (referrals, assessments, plans...)",
    "benchmark": "DfE's published figure in the packaged extract: proves the report quoted DfE, not our arithmetic",
    "partner return": "summed from partner returns, which the demo seeded with the printed values: proves the "
    "summing and the period logic, not the data",
    "constant": "a value stored as printed (the 49,275 population base; comparators the demo inserted from the "
    "report): cannot fail",
}

# figure_id prefix before ':' -> (indicator, breakdown dimension)
BREAKDOWN_FIGURES = {
    "presenting_issue": ("contacts_with_presenting_issue", "presenting_issue"),
    "referrals_by_agency": ("referrals", "source"),
    "lado_concern": ("lado_referrals_by_concern", "concern"),
    "lado_outcome": ("lado_outcomes", "outcome"),
    "contribution": ("partnership_contributions", "contributor"),
    "expenditure": ("partnership_expenditure", "item"),
}
ALIASES = {"cp_rate": "cp_plan_rate", "expenditure_total": "partnership_expenditure"}
# The report calls inner London's re-referral rate 'London' (DfE 2018-19: inner London 18.1, London 18.5).
COMPARATOR_AREAS = {("re_referral_rate", "London"): "Inner London"}
# The report printed 2018-19 comparators beside its 2019-20 figure; benchmarks are stored under their own year.
COMPARATOR_PERIODS = {
    ("assessments_in_45_days", "2019-20", "London"): "2018-19",
    ("assessments_in_45_days", "2019-20", "England"): "2018-19",
}
# Where the report contradicts itself we reproduce the reading that follows the definitions, and say why.
DOCUMENTED_EXCEPTIONS = {
    ("lac_rate", "2019-20", ""): "the report's base is not its own 49,275 children (190 / 49,275 = 38.6); "
    "we reproduce the count (190) and compute the rate on the stated base",
    ("lac_rate", "2018-19", ""): "as 2019-20: 191 / 49,275 = 38.8, printed 38; the count (191) is reproduced",
    ("cp_plan_rate", "2018-19", "England"): "the report printed DfE's 2019 rate on pre-Census-2021 populations; the "
    "store holds DfE's 2025 release rebased on Census 2021 (England 2018-19: 44.5)",
    ("cp_plan_rate", "2018-19", "Inner London"): "as England: printed on the pre-2021 population base; the rebased "
    "inner London denominator is about 10% smaller (39.7)",
    ("cin_referral_rate", "2019-20", ""): "1,475 referrals / 49,275 children = 299 per 10,000; the printed 281 "
    "uses another base. The referral count (1,475) is reproduced",
}


@dataclass(frozen=True)
class FigureCheck:
    figure_id: str
    period: str
    comparator: str
    printed: str
    computed: float | None
    status: str  # match | exception (documented) | mismatch
    basis: str  # a key of BASES
    note: str = ""

    def line(self) -> str:
        shown = "—" if self.computed is None else f"{self.computed:,.4f}".rstrip("0").rstrip(".")
        who = f" [{self.comparator}]" if self.comparator else ""
        return (
            f"{self.status:>9}  {self.basis:>14}  {self.figure_id}{who} {self.period}: printed {self.printed}, "
            f"computed {shown}" + (f"  ({self.note})" if self.note else "")
        )


def packaged_figures() -> Path:
    """The 154 figures printed in the annual report 2019-20 (package data, so an installed cscp can check them)."""
    return Path(str(resources.files("cscp_metrics.reference").joinpath("published-figures.csv")))


def basis_of(ind: Indicator, registry: Registry, frame: pd.DataFrame) -> str:
    """Where the computed value comes from: the weakest of its inputs."""
    source = str(frame["source"].iloc[0]) if len(frame) else ""
    if source.startswith("DfE"):  # DfE's own rows name the EES file they came from
        return "constant" if source.startswith("DfE: ") and not source.endswith(".csv") else "benchmark"
    if ind.counts_population:
        return "constant"
    return "partner return" if any(isinstance(r, PartnerRef) for r in (ind.numerator, ind.denominator)) else "row-level"


def counts(results: list[FigureCheck]) -> dict[str, dict[str, int]]:
    """Figures per basis and status, e.g. {'row-level': {'match': 55, 'exception': 3, 'mismatch': 0}, ...}."""
    return {
        basis: {status: sum(r.basis == basis and r.status == status for r in results) for status in STATUSES}
        for basis in BASES
    }


def _matches(printed: str, computed: float | None) -> bool:
    if computed is None:
        return False
    if printed.startswith("<"):
        return computed < float(printed[1:])
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return f"{computed + 1e-9:.{decimals}f}" == f"{float(printed):.{decimals}f}"


def check_figures(con: duckdb.DuckDBPyConnection, csv_path: Path | None = None) -> list[FigureCheck]:
    registry = load_registry()
    results = []
    with (csv_path or packaged_figures()).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            fid, period, comparator, printed = row["figure_id"], row["period"], row["comparator"], row["value"]
            base, _, level = fid.partition(":")
            indicator, dimension = (
                BREAKDOWN_FIGURES.get(base, (ALIASES.get(fid, fid), None)) if level else (ALIASES.get(fid, fid), None)
            )
            if indicator not in registry.indicators:
                results.append(
                    FigureCheck(fid, period, comparator, printed, None, "mismatch", "row-level", "no such indicator")
                )
                continue
            area = COMPARATOR_AREAS.get((indicator, comparator), comparator) or None
            when = COMPARATOR_PERIODS.get((indicator, period, comparator), period)
            frame = compute(con, indicator, when, area=area, breakdown=dimension, registry=registry)
            basis = basis_of(registry.indicators[indicator], registry, frame)
            if level:
                frame = frame[frame["breakdown_value"] == level]
            value = None if frame.empty or frame["value"].isna().all() else float(frame["value"].iloc[0])
            key = (indicator, period, comparator)
            if _matches(printed, value):
                note = "; ".join(
                    ([f"compared with {area}"] if area and area != comparator else [])
                    + ([f"compared with {when}, the year the printed value is from"] if when != period else [])
                )
                results.append(FigureCheck(fid, period, comparator, printed, value, "match", basis, note))
            elif key in DOCUMENTED_EXCEPTIONS:
                results.append(
                    FigureCheck(fid, period, comparator, printed, value, "exception", basis, DOCUMENTED_EXCEPTIONS[key])
                )
            else:
                results.append(FigureCheck(fid, period, comparator, printed, value, "mismatch", basis, row["note"]))
    return results
