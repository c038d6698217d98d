"""The risk register: likelihood and impact 1-5, score = likelihood x impact, rated in the bands of the NPSA 5x5
risk matrix (low 1-3, moderate 4-6, high 8-12, extreme 15-25), each with a text label as well as a colour.
A risk links to indicators; whether they moved since its last review is worked out in `movement`."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cscp_metrics.indicators.registry import Registry
from cscp_metrics.records import history
from cscp_metrics.records.refusals import Refused, describe
from cscp_metrics.records.workspace import Records

BANDS = ((3, "low", "green"), (6, "moderate", "yellow"), (12, "high", "orange"), (25, "extreme", "red"))
Score = Field(ge=1, le=5)


def rating(score: int) -> tuple[str, str]:
    """(label, colour) of a score from 1 to 25."""
    for upper, label, colour in BANDS:
        if score <= upper:
            return label, colour
    raise ValueError(f"a risk score is 1-25, not {score}")


class NewRisk(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True, extra="forbid")
    title: str = Field(min_length=3, max_length=200)
    owner: str = Field(min_length=1, max_length=200)
    likelihood: int = Score
    impact: int = Score
    description: str | None = Field(None, max_length=4000)
    controls: str | None = Field(None, max_length=4000)
    area: str | None = None
    review_by: date | None = None
    indicators: tuple[str, ...] = ()
    public: bool = False


class RiskChange(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True, extra="forbid")
    likelihood: int | None = Field(None, ge=1, le=5)
    impact: int | None = Field(None, ge=1, le=5)
    status: Literal["open", "closed"] | None = None
    owner: str | None = None
    controls: str | None = Field(None, max_length=4000)
    review_by: date | None = None
    note: str | None = Field(None, max_length=4000)


class Risk(BaseModel):
    model_config = ConfigDict(frozen=True)
    risk_id: int
    title: str
    description: str | None
    owner: str
    likelihood: int
    impact: int
    area: str | None
    controls: str | None
    review_by: date | None
    status: str
    reviewed_on: date
    public: bool
    indicators: tuple[str, ...]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def rating(self) -> str:
        return rating(self.score)[0]

    @property
    def colour(self) -> str:
        return rating(self.score)[1]

    def as_dict(self) -> dict:
        return {
            **self.model_dump(),
            "score": self.score,
            "rating": self.rating,
            "colour": self.colour,
            "label": f"{self.rating} (score {self.score} = likelihood {self.likelihood} x impact {self.impact})",
        }


def check_links(registry: Registry, indicators: tuple[str, ...], area: str | None) -> None:
    unknown = [i for i in indicators if i not in registry.indicators]
    if unknown:
        raise Refused(f"unknown indicator {unknown[0]!r}; `cscp indicators` lists them")
    areas = {i.priority_area for i in registry.indicators.values()}
    if area is not None and area not in areas:
        raise Refused(f"unknown priority area {area!r}; areas: {', '.join(sorted(areas))}")


def add(records: Records, fields: dict, by: str, registry: Registry, owners: dict[str, str], today: date) -> Risk:
    try:
        new = NewRisk(**fields)
    except ValidationError as err:
        raise describe(err, "risk") from None
    check_links(registry, new.indicators, new.area)
    values = new.model_dump(exclude={"indicators"}) | {
        "owner": _owner(new.owner, owners),
        "status": "open",
        "reviewed_on": today,
    }
    risk_id = history.create(records, "risk", values, by, links={"indicator": new.indicators})
    return get(records, risk_id)


def update(records: Records, risk_id: int, fields: dict, by: str, owners: dict[str, str], today: date) -> Risk:
    """A review: the fields given change (each change kept with its previous value) and the review date is today."""
    try:
        change = RiskChange(**fields)
    except ValidationError as err:
        raise describe(err, "risk update") from None
    get(records, risk_id)
    values = change.model_dump(exclude={"note"}, exclude_none=True) | {"reviewed_on": today}
    if change.owner is not None:
        values["owner"] = _owner(change.owner, owners)
    history.change(records, "risk", risk_id, values, by, note=change.note)
    return get(records, risk_id)


def _owner(owner: str, owners: dict[str, str]) -> str:
    from cscp_metrics.records.owners import resolve

    try:
        return resolve(owner, owners)
    except ValueError as err:
        raise Refused(str(err)) from None


def _risk(records: Records, row: dict) -> Risk:
    return Risk(**row, indicators=tuple(history.linked(records, "risk", row["risk_id"], "indicator")))


def get(records: Records, risk_id: int) -> Risk:
    return _risk(records, history.row(records, "risk", risk_id))


def listed(records: Records, status: str | None = None) -> list[Risk]:
    """Highest score first."""
    risks = [_risk(records, row) for row in history.all_rows(records, "risk") if status in (None, row["status"])]
    return sorted(risks, key=lambda r: (r.status != "open", -r.score, r.risk_id))
