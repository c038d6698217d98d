"""The data contract of each loadable table, as pydantic models (DATA-AND-METHODS section 1)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.indicators.registry.refs import PartnerRef

ColumnType = Literal["text", "date", "datetime", "bool", "number", "integer"]

REFERRAL_SOURCES = ("police", "school", "health", "local_authority", "family_friend_self", "other")
EXPLOITATION_RISKS = ("none", "cse", "cce", "both")
RAG_RATINGS = ("blue", "green", "amber", "red")
# The partner agencies of DATA-AND-METHODS section 1 (the demo's agencies table names each one).
PARTNER_AGENCIES = (
    "police",
    "health",
    "camhs",
    "education",
    "youth_offending",
    "probation",
    "safety_net",
    "lado",
    "partnership",
    "community_safety",
    "local_authority",
    "public_health",
)
EARLIEST = "2000-01-01"  # no case record or return in the store starts earlier
EARLIEST_BIRTH = "1975-01-01"  # a care leaver aged 25 in 2000


def partner_measure_ids() -> tuple[str, ...]:
    """Every measure an indicator reads from partner returns ('partner:<id>' in indicators.toml): a return of
    any other measure would be stored and never shown, so it is refused as a likely typing error."""
    registry = load_registry()
    found = {
        r.measure
        for i in registry.indicators.values()
        for r in (i.numerator, i.denominator)
        if isinstance(r, PartnerRef)
    }
    return tuple(sorted(found))


class ColumnRule(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    type: ColumnType = "text"
    required: bool = True  # empty values are refused
    unique: bool = False  # within the file and against earlier loads
    identifier: bool = False  # an id: letters, digits and _ - . / only (no spaces, quotes, NULs)
    allowed: tuple[str, ...] = ()  # lower-case codes; empty means any
    allowed_source: str = ""  # where a long list of codes is kept, for the message
    not_future: bool = False
    not_before: str | None = None  # ISO date
    after_column: str | None = None  # must be later than this column when both present
    not_before_column: str | None = None  # must be on or after this column when both present
    minimum: float | None = None


class TableContract(BaseModel):
    model_config = ConfigDict(frozen=True)

    table: str
    columns: tuple[ColumnRule, ...]
    optional: tuple[ColumnRule, ...] = Field(
        default=(), description="accepted when present, filled as NULL when absent"
    )

    def all_columns(self) -> tuple[ColumnRule, ...]:
        return self.columns + self.optional

    def column(self, name: str) -> ColumnRule:
        return next(c for c in self.all_columns() if c.name == name)


def _c(name: str, type: ColumnType = "text", **kw: Any) -> ColumnRule:
    if type in ("date", "datetime"):
        kw.setdefault("not_before", EARLIEST)
    return ColumnRule(name=name, type=type, identifier=name.endswith("_id") and name != "measure_id", **kw)


CONTRACTS: dict[str, TableContract] = {
    c.table: c
    for c in (
        TableContract(
            table="referrals",
            columns=(
                _c("child_id"),
                _c("referral_id", unique=True),
                _c("referral_date", "date", not_future=True),
                _c("source", allowed=REFERRAL_SOURCES),
            ),
            optional=(_c("rag", required=False, allowed=RAG_RATINGS), _c("outcome", required=False)),
        ),
        TableContract(
            table="missing_episodes",
            columns=(
                _c("child_id"),
                _c("episode_id", unique=True),
                _c("start_datetime", "datetime", not_future=True),
                _c("return_datetime", "datetime", required=False, after_column="start_datetime"),
                _c("rhi_offered_datetime", "datetime", required=False),
                _c("rhi_completed", "bool"),
                _c("exploitation_risk", allowed=EXPLOITATION_RISKS),
            ),
        ),
        TableContract(
            table="contacts",
            columns=(
                _c("contact_id", unique=True),
                _c("child_id"),
                _c("contact_date", "date", not_future=True),
                _c("source"),
            ),
            optional=(_c("presenting_issue", required=False), _c("rag", required=False, allowed=RAG_RATINGS)),
        ),
        TableContract(
            table="children",
            columns=(_c("child_id", unique=True),),
            optional=(
                _c("birth_month", "date", required=False, not_future=True, not_before=EARLIEST_BIRTH),
                _c("gender", required=False),
                _c("ethnicity", required=False),
                _c("disability", "bool", required=False),
                _c("ward", required=False),
            ),
        ),
        TableContract(
            table="assessments",
            columns=(
                _c("assessment_id", unique=True),
                _c("child_id"),
                _c("start_date", "date", not_future=True),
            ),
            optional=(
                _c("completed_date", "date", required=False, not_future=True, not_before_column="start_date"),
                _c("working_days", "integer", required=False, minimum=0),
                _c("factors", required=False),
            ),
        ),
        TableContract(
            table="section47_enquiries",
            columns=(
                _c("enquiry_id", unique=True),
                _c("child_id"),
                _c("start_date", "date", not_future=True),
            ),
            optional=(_c("outcome", required=False),),
        ),
        TableContract(
            table="cp_plans",
            columns=(
                _c("plan_id", unique=True),
                _c("child_id"),
                _c("start_date", "date", not_future=True),
                _c("end_date", "date", required=False, after_column="start_date"),
                _c("category", allowed=("neglect", "emotional", "physical", "sexual", "multiple")),
            ),
        ),
        TableContract(
            table="looked_after_episodes",
            columns=(
                _c("episode_id", unique=True),
                _c("child_id"),
                _c("start_date", "date", not_future=True),
                _c("end_date", "date", required=False, after_column="start_date"),
            ),
            optional=(_c("placement_type", required=False), _c("distance_miles", "number", required=False, minimum=0)),
        ),
        TableContract(
            table="care_leavers",
            columns=(
                _c("child_id"),
                _c("year_ending", "date", not_future=True),
                _c("age", "integer", minimum=16),
                _c("activity", allowed=("eet", "neet", "no_information")),
            ),
            optional=(_c("accommodation_suitable", "bool", required=False),),
        ),
        TableContract(
            table="partner_returns",
            columns=(
                _c("agency", allowed=PARTNER_AGENCIES),
                _c(
                    "measure_id",
                    allowed=partner_measure_ids(),
                    allowed_source="that indicators.toml reads as partner:<id>",
                ),
                _c("period_start", "date", not_future=True),
                _c("period_end", "date", after_column="period_start"),
                _c("value", "number", minimum=0),
            ),
            optional=(_c("breakdown_dimension", required=False), _c("breakdown_value", required=False)),
        ),
    )
}
