"""Audits (multi-agency themed, single-agency, section 11) and practice reviews (rapid reviews, local child
safeguarding practice reviews, national panel reports): what was looked at, what was found (an audit's grade
distribution over its sample; a review's learning themes) and the recommendations made (actions whose source
is the audit or review), with their progress."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from cscp_metrics.indicators.periods import parse_period
from cscp_metrics.indicators.registry import Registry
from cscp_metrics.records import actions, history
from cscp_metrics.records.refusals import Refused, describe
from cscp_metrics.records.risks import check_links
from cscp_metrics.records.workspace import Records

GRADES = ("outstanding", "good", "requires improvement", "inadequate")
AuditKind = Literal["multi-agency themed", "single-agency", "section 11"]
ReviewKind = Literal["rapid review", "local child safeguarding practice review", "national panel report"]
Text = Field(None, max_length=8000)


class NewAudit(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True, extra="forbid")
    kind: AuditKind
    title: str = Field(min_length=3, max_length=300)
    period: str
    agencies: tuple[str, ...] = ()
    sample_size: int | None = Field(None, ge=1, le=100_000)
    grades: dict[Literal["outstanding", "good", "requires improvement", "inadequate"], int] = {}
    findings: str | None = Text
    area: str | None = None
    public: bool = False

    @field_validator("period")
    @classmethod
    def _period(cls, value: str) -> str:
        return parse_period(value).label

    @model_validator(mode="after")
    def _grades_fit_the_sample(self) -> NewAudit:
        if any(n < 0 for n in self.grades.values()):
            raise ValueError("grade counts are 0 or more")
        if self.sample_size is not None and sum(self.grades.values()) > self.sample_size:
            raise ValueError(
                f"the grades add up to {sum(self.grades.values())} cases, more than the sample of {self.sample_size}"
            )
        return self


class NewReview(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True, extra="forbid")
    kind: ReviewKind
    title: str = Field(min_length=3, max_length=300)
    held_on: date
    themes: tuple[str, ...] = ()
    summary: str | None = Text
    area: str | None = None
    public: bool = False


def _check_agencies(agencies: tuple[str, ...], known: set[str] | None) -> None:
    unknown = [a for a in agencies if known is not None and a not in known]
    if unknown:
        raise Refused(f"unknown agency {unknown[0]!r}; the store's agencies: {', '.join(sorted(known or ()))}")


def add_audit(records: Records, fields: dict, by: str, registry: Registry, agencies: set[str] | None) -> int:
    try:
        new = NewAudit(**fields)
    except ValidationError as err:
        raise describe(err, "audit") from None
    _check_agencies(new.agencies, agencies)
    check_links(registry, (), new.area)
    with records.transaction():
        audit_id = history.create(
            records, "audit", new.model_dump(exclude={"agencies", "grades"}), by, links={"agency": new.agencies}
        )
        for grade, cases in new.grades.items():
            records.execute("INSERT INTO audit_grades VALUES (?, ?, ?)", [audit_id, grade, cases])
    return audit_id


def add_review(records: Records, fields: dict, by: str, registry: Registry) -> int:
    try:
        new = NewReview(**fields)
    except ValidationError as err:
        raise describe(err, "practice review") from None
    check_links(registry, (), new.area)
    return history.create(records, "review", new.model_dump(exclude={"themes"}), by, links={"theme": new.themes})


def progress(records: Records, kind: str, record_id: int, as_of: date) -> dict:
    """The recommendations made (actions from this record) and how far they have got."""
    recs = actions.listed(records, as_of, source=f"{kind}:{record_id}")
    done = sum(a.status_on(as_of) == "done" for a in recs)
    overdue = sum(a.status_on(as_of) == "overdue" for a in recs)
    return {
        "recommendations": [a.as_dict(as_of) for a in recs],
        "done": done,
        "overdue": overdue,
        "total": len(recs),
        "progress": f"{done} of {len(recs)} done" + (f", {overdue} overdue" if overdue else "")
        if recs
        else "no recommendations recorded",
    }


def audit_entry(records: Records, audit_id: int, as_of: date) -> dict:
    row = history.row(records, "audit", audit_id)
    graded = {
        r["grade"]: int(r["cases"])
        for r in records.rows("SELECT grade, cases FROM audit_grades WHERE audit_id = ?", [audit_id])
    }
    total = sum(graded.values())
    distribution = [
        {"grade": g, "cases": graded[g], "percent": round(100 * graded[g] / total, 1)} for g in GRADES if g in graded
    ]
    return {
        **row,
        "agencies": history.linked(records, "audit", audit_id, "agency"),
        "grades": distribution,
        "graded_cases": total,
        **progress(records, "audit", audit_id, as_of),
    }


def review_entry(records: Records, review_id: int, as_of: date) -> dict:
    row = history.row(records, "review", review_id)
    return {
        **row,
        "themes": history.linked(records, "review", review_id, "theme"),
        **progress(records, "review", review_id, as_of),
    }


def listed(records: Records, kind: str, as_of: date) -> list[dict]:
    entry = audit_entry if kind == "audit" else review_entry
    key = "audit_id" if kind == "audit" else "review_id"
    return [entry(records, row[key], as_of) for row in history.all_rows(records, kind)]
