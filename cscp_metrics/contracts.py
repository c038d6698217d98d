"""The data contract of each loadable table, as pydantic models (DATA-AND-METHODS section 1)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ColumnType = Literal["text", "date", "datetime", "bool", "number", "integer"]

REFERRAL_SOURCES = ("police", "school", "health", "local_authority", "family_friend_self", "other")
EXPLOITATION_RISKS = ("none", "cse", "cce", "both")
RAG_RATINGS = ("blue", "green", "amber", "red")


class ColumnRule(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    type: ColumnType = "text"
    required: bool = True                  # empty values are refused
    unique: bool = False                   # within the file and against earlier loads
    allowed: tuple[str, ...] = ()          # lower-case codes; empty means any
    not_future: bool = False
    not_before: str | None = None          # ISO date
    after_column: str | None = None        # must be later than this column when both present
    minimum: float | None = None


class TableContract(BaseModel):
    model_config = ConfigDict(frozen=True)

    table: str
    columns: tuple[ColumnRule, ...]
    optional: tuple[ColumnRule, ...] = Field(default=(), description="accepted when present, filled as NULL when absent")

    def all_columns(self) -> tuple[ColumnRule, ...]:
        return self.columns + self.optional

    def column(self, name: str) -> ColumnRule:
        return next(c for c in self.all_columns() if c.name == name)


def _c(name: str, type: ColumnType = "text", **kw: object) -> ColumnRule:
    return ColumnRule(name=name, type=type, **kw)


CONTRACTS: dict[str, TableContract] = {c.table: c for c in (
    TableContract(table="referrals", columns=(
        _c("child_id"), _c("referral_id", unique=True),
        _c("referral_date", "date", not_future=True, not_before="2000-01-01"),
        _c("source", allowed=REFERRAL_SOURCES),
    ), optional=(_c("rag", required=False, allowed=RAG_RATINGS), _c("outcome", required=False))),
    TableContract(table="missing_episodes", columns=(
        _c("child_id"), _c("episode_id", unique=True),
        _c("start_datetime", "datetime", not_future=True),
        _c("return_datetime", "datetime", required=False, after_column="start_datetime"),
        _c("rhi_offered_datetime", "datetime", required=False),
        _c("rhi_completed", "bool"),
        _c("exploitation_risk", allowed=EXPLOITATION_RISKS),
    )),
    TableContract(table="contacts", columns=(
        _c("contact_id", unique=True), _c("child_id"),
        _c("contact_date", "date", not_future=True, not_before="2000-01-01"), _c("source"),
    ), optional=(_c("presenting_issue", required=False), _c("rag", required=False, allowed=RAG_RATINGS))),
    TableContract(table="children", columns=(
        _c("child_id", unique=True),
    ), optional=(_c("birth_month", "date", required=False, not_future=True), _c("gender", required=False),
                 _c("ethnicity", required=False), _c("disability", "bool", required=False),
                 _c("ward", required=False))),
    TableContract(table="assessments", columns=(
        _c("assessment_id", unique=True), _c("child_id"), _c("start_date", "date", not_future=True),
    ), optional=(_c("completed_date", "date", required=False, not_future=True),
                 _c("working_days", "integer", required=False, minimum=0), _c("factors", required=False))),
    TableContract(table="section47_enquiries", columns=(
        _c("enquiry_id", unique=True), _c("child_id"), _c("start_date", "date", not_future=True),
    ), optional=(_c("outcome", required=False),)),
    TableContract(table="cp_plans", columns=(
        _c("plan_id", unique=True), _c("child_id"), _c("start_date", "date", not_future=True),
        _c("end_date", "date", required=False, after_column="start_date"),
        _c("category", allowed=("neglect", "emotional", "physical", "sexual", "multiple")),
    )),
    TableContract(table="looked_after_episodes", columns=(
        _c("episode_id", unique=True), _c("child_id"), _c("start_date", "date", not_future=True),
        _c("end_date", "date", required=False, after_column="start_date"),
    ), optional=(_c("placement_type", required=False), _c("distance_miles", "number", required=False, minimum=0))),
    TableContract(table="care_leavers", columns=(
        _c("child_id"), _c("year_ending", "date"), _c("age", "integer", minimum=16),
        _c("activity", allowed=("eet", "neet", "no_information")),
    ), optional=(_c("accommodation_suitable", "bool", required=False),)),
    TableContract(table="partner_returns", columns=(
        _c("agency"), _c("measure_id"), _c("period_start", "date"),
        _c("period_end", "date", after_column="period_start"), _c("value", "number"),
    ), optional=(_c("breakdown_dimension", required=False), _c("breakdown_value", required=False))),
)}
