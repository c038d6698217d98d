"""The indicator registry: typed, frozen specs loaded from TOML and checked by small rules."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from cscp_metrics.indicators.dfe_sources import SOURCES
from cscp_metrics.indicators.registry import refs
from cscp_metrics.indicators.registry.refs import DfeOnlyRef, MeasureRef, PartnerRef, PopulationRef, Ref

Statistic = Literal["count", "proportion", "rate", "amount", "change"]
Polarity = Literal["high_is_good", "low_is_good", "neutral"]
UNITS = {"count": "count", "proportion": "percent", "rate": "per 10,000", "amount": "GBP", "change": "percent change"}
MULTIPLIERS = {"proportion": 100.0, "rate": 10_000.0}


class TableSpec(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str
    date: str
    end: str | None = None
    dimensions: dict[str, str] = {}


class Measure(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str
    table: str = "partner_returns_current"
    agg: str = "sum(value)"
    filter: str = ""
    kind: Literal["event", "snapshot", "partner"] = "event"
    # how far before the period's end the table's records must reach for the measure to be counted: a plan open 2
    # years at 31 March 2015 started by 31 March 2013, so records that start later cannot show one (no figure, not 0)
    lookback_years: int = 0


class Indicator(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str
    title: str
    priority_area: str
    definition: str
    statistic: Statistic
    numerator: Ref
    denominator: Ref | None = None
    polarity: Polarity = "neutral"
    source: str
    dfe_reference: str | None = None
    disclosure: Literal["children", "none"] = "children"  # children: counts of 1-5 are suppressed in public views
    breakdowns: tuple[str, ...] = ()
    decimals: int = 1
    # the decimals DfE's file prints the figure to, where not one (looked after children per 10,000 and the share with
    # 3 or more placements are whole numbers there): a DfE figure is never shown more precisely than DfE printed it
    dfe_decimals: int | None = None
    counted: str | None = None  # what the numerator counts, in words ("re-referrals"); else from its measure id

    @field_validator("numerator", "denominator", mode="before")
    @classmethod
    def _parsed(cls, value: object) -> object:
        return refs.parse(value) if isinstance(value, str) else value

    @property
    def counts_what(self) -> str:
        """What the numerator counts, in words: `counted`, else the title ('Return home interviews completed')
        in lower case and without a rate's 'per 10,000'; never the measure's id."""
        if self.counted:
            return self.counted
        words = re.sub(r",? per 10,000.*$", "", self.title)
        return words[0].lower() + words[1:] if words[1:2].islower() else words

    @property
    def unit(self) -> str:
        return UNITS[self.statistic]

    @property
    def multiplier(self) -> float:
        return MULTIPLIERS.get(self.statistic, 1.0)

    @property
    def local(self) -> bool:
        """Whether the store can count it from local records or returns (else DfE's figures only)."""
        return not isinstance(self.numerator, DfeOnlyRef)

    @property
    def counts_population(self) -> bool:
        return isinstance(self.numerator, PopulationRef)

    @property
    def per_population(self) -> bool:
        """A rate over the children aged 0-17."""
        return isinstance(self.denominator, PopulationRef)

    @property
    def from_returns(self) -> bool:
        """Counted from the agencies' partner returns."""
        return isinstance(self.numerator, PartnerRef)


class Registry(BaseModel):
    model_config = ConfigDict(frozen=True)
    tables: dict[str, TableSpec]
    measures: dict[str, Measure]
    indicators: dict[str, Indicator]

    def measure(self, ref: Ref) -> Measure:
        """The measure a reference counts; a KeyError for the population or a DfE-only indicator."""
        if isinstance(ref, PartnerRef):
            return Measure(id=ref.measure, kind="partner")
        if isinstance(ref, MeasureRef):
            return self.measures[ref.measure]
        raise KeyError(f"'{ref}' is not a measure")

    def for_area(self, area: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if i.priority_area == area]


def _read(name: str) -> dict:
    return tomllib.loads(resources.files("cscp_metrics.indicators.registry").joinpath(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_registry() -> Registry:
    m = _read("measures.toml")
    tables = {k: TableSpec(name=k, **v) for k, v in m["tables"].items()}
    measures = {k: Measure(id=k, **v) for k, v in m["measures"].items()}
    entries = _read("indicators.toml")["indicator"]
    ids = [e["id"] for e in entries]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"indicator ids defined more than once: {', '.join(duplicates)}")
    registry = Registry(tables=tables, measures=measures, indicators={e["id"]: Indicator(**e) for e in entries})
    problems = check(registry)
    if problems:
        raise ValueError("indicator registry is inconsistent:\n" + "\n".join(problems))
    return registry


def check(registry: Registry) -> list[str]:
    """The registry's rules; each problem is one line naming the indicator and what is wrong."""
    problems = []
    dfe_sourced = {source.indicator_id for source in SOURCES}
    for ind in registry.indicators.values():
        where = f"indicator {ind.id}"
        if not ind.id.replace("_", "").isalnum() or ind.id != ind.id.lower():
            problems.append(f"{where}: id must be snake_case")
        if len(ind.definition.strip()) < 20:
            problems.append(f"{where}: definition is empty or too short to be read")
        for role, ref in (("numerator", ind.numerator), ("denominator", ind.denominator)):
            if isinstance(ref, MeasureRef) and ref.measure not in registry.measures:
                problems.append(
                    f"{where}: {role} '{ref}' is not a measure in measures.toml (use one of its measures, "
                    "partner:<measure> for a partner return, population or dfe_only)"
                )
        if isinstance(ind.denominator, DfeOnlyRef):
            problems.append(f"{where}: dfe_only is a numerator (the indicator has no local figure), not a denominator")
        if ind.dfe_reference and ind.id not in dfe_sourced:
            problems.append(f"{where}: dfe_reference '{ind.dfe_reference}' names no DfE source (dfe_sources.SOURCES)")
        if ind.statistic in ("proportion", "rate") and ind.denominator is None:
            problems.append(f"{where}: a {ind.statistic} needs a denominator")
        if ind.statistic == "rate" and not ind.per_population:
            problems.append(f"{where}: a rate per 10,000 is over the population aged 0-17")
        if ind.statistic in ("count", "amount", "change") and ind.denominator is not None:
            problems.append(f"{where}: a {ind.statistic} has no denominator")
        counted = [
            r
            for r in (ind.numerator, ind.denominator)
            if isinstance(r, PartnerRef) or (isinstance(r, MeasureRef) and r.measure in registry.measures)
        ]
        tables = {registry.measure(r).table for r in counted}
        for dim in ind.breakdowns:
            ok = (
                any(dim in registry.tables[t].dimensions for t in tables if t in registry.tables)
                or dim == "month"
                or any(t == "partner_returns_current" for t in tables)
            )
            if not ok:
                problems.append(f"{where}: breakdown '{dim}' is not a dimension of its measures")
    for measure in registry.measures.values():
        if measure.table not in registry.tables:
            problems.append(f"measure {measure.id}: table '{measure.table}' is not described in measures.toml")
        if measure.kind == "snapshot" and not registry.tables[measure.table].end:
            problems.append(f"measure {measure.id}: a snapshot needs an end-date column on {measure.table}")
    return problems
