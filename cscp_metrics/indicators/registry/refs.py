"""What an indicator's numerator or denominator refers to, parsed once from indicators.toml (metricflow's typed
references): a measure in measures.toml, a measure agencies send in their partner returns, the ONS population
aged 0-17, or nothing local at all (an indicator DfE alone publishes). Code asks the reference what it is; nothing
outside this module compares the TOML's words."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

PARTNER_PREFIX = "partner:"


class MeasureRef(BaseModel):
    """A measure over the case records, defined in measures.toml."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["measure"] = "measure"
    measure: str

    def __str__(self) -> str:
        return self.measure


class PartnerRef(BaseModel):
    """A measure an agency returns each period (partner_returns, measure_id)."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["partner"] = "partner"
    measure: str

    def __str__(self) -> str:
        return PARTNER_PREFIX + self.measure


class PopulationRef(BaseModel):
    """Children aged 0-17: ONS mid-year estimates (the year ending 31 March Y uses mid-year Y-1, as DfE)."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["population"] = "population"

    def __str__(self) -> str:
        return "population"


class DfeOnlyRef(BaseModel):
    """No local figure: DfE publishes the indicator and the store holds DfE's numbers only."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["dfe_only"] = "dfe_only"

    def __str__(self) -> str:
        return "dfe_only"


Ref = MeasureRef | PartnerRef | PopulationRef | DfeOnlyRef
CountedRef = MeasureRef | PartnerRef  # what a query can count


def parse(text: str) -> Ref:
    """'population', 'dfe_only', 'partner:<measure>' or a measure id from measures.toml."""
    if text == "population":
        return PopulationRef()
    if text == "dfe_only":
        return DfeOnlyRef()
    if text.startswith(PARTNER_PREFIX):
        measure = text.removeprefix(PARTNER_PREFIX)
        if not measure:
            raise ValueError(f"'{text}' names no partner measure: write partner:<measure id>")
        return PartnerRef(measure=measure)
    if not text:
        raise ValueError("an empty reference: use a measure id, partner:<measure>, population or dfe_only")
    return MeasureRef(measure=text)


def counted(ref: Ref | None) -> CountedRef | None:
    """The reference when a query counts it (a measure or a partner measure), else None."""
    return ref if isinstance(ref, MeasureRef | PartnerRef) else None
