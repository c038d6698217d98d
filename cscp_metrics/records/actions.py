"""Recommendations and actions: each from a source (an audit, practice review, section 11 round, risk, challenge
or the board), with an owner, a due date and a status. `overdue` is not typed in: an action not done by its due
date is overdue from the next day, whatever its last status. Marking one done needs evidence of completion."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cscp_metrics.indicators.registry import Registry
from cscp_metrics.records import history
from cscp_metrics.records.refusals import Refused, describe
from cscp_metrics.records.risks import check_links
from cscp_metrics.records.workspace import Records

STATUSES = ("not started", "on track", "at risk", "done")
SOURCES = ("audit", "review", "risk", "s11", "challenge", "board")
RECORDED_SOURCES = ("audit", "review", "risk")  # their id must name a record in the workspace
_SOURCE = re.compile(r"^([a-z0-9]+)(?::(\d+))?$")


def parse_source(text: str) -> tuple[str, int | None]:
    """`audit:3`, `risk:1`, `s11:2019`, `board` -> (kind, id)."""
    m = _SOURCE.match(text.strip().lower())
    if not m or m.group(1) not in SOURCES:
        raise Refused(f"source {text!r} is not KIND[:ID] with KIND one of {', '.join(SOURCES)} (e.g. audit:3)")
    return m.group(1), int(m.group(2)) if m.group(2) else None


class NewAction(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True, extra="forbid")
    title: str = Field(min_length=3, max_length=500)
    source: str
    owner: str = Field(min_length=1, max_length=200)
    due: date
    started_on: date | None = None
    indicators: tuple[str, ...] = ()
    area: str | None = None
    public: bool = False


class ActionChange(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True, extra="forbid")
    status: Literal["not started", "on track", "at risk", "done"] | None = None
    evidence: str | None = Field(None, min_length=3, max_length=4000)
    due: date | None = None
    note: str | None = Field(None, max_length=4000)


class Action(BaseModel):
    model_config = ConfigDict(frozen=True)
    action_id: int
    title: str
    source_kind: str
    source_id: int | None
    owner: str
    started_on: date
    due: date
    status: str
    evidence: str | None
    done_on: date | None
    area: str | None
    public: bool
    indicators: tuple[str, ...]

    @property
    def source(self) -> str:
        return self.source_kind + (f":{self.source_id}" if self.source_id is not None else "")

    def days_overdue(self, as_of: date) -> int:
        """Days past the due date on as_of, unless done by then."""
        done = self.status == "done" and (self.done_on is None or self.done_on <= as_of)
        return 0 if done else max(0, (as_of - self.due).days)

    def status_text(self, as_of: date) -> str:
        late = self.days_overdue(as_of)
        if late:
            return f"overdue: {late} day{'s' if late != 1 else ''} past the due date {self.due}"
        return f"done {self.done_on}" if self.status == "done" else f"{self.status}, due {self.due}"

    def status_on(self, as_of: date) -> str:
        if self.days_overdue(as_of):
            return "overdue"
        return "on track" if self.status == "done" and self.done_on and self.done_on > as_of else self.status

    def as_dict(self, as_of: date) -> dict:
        return {
            **self.model_dump(),
            "source": self.source,
            "status_on": self.status_on(as_of),
            "days_overdue": self.days_overdue(as_of),
            "label": self.status_text(as_of),
        }


def add(
    records: Records,
    fields: dict,
    by: str,
    registry: Registry,
    owner_of,
    today: date,
    challenge_ids: set[int] | None = None,
) -> Action:
    """owner_of: resolves an owner as typed to the stored owner, or raises Refused."""
    try:
        new = NewAction(**fields)
    except ValidationError as err:
        raise describe(err, "action") from None
    kind, source_id = parse_source(new.source)
    area = new.area
    if kind in RECORDED_SOURCES and source_id is not None:
        try:
            area = area or history.row(records, kind, source_id)["area"]  # a risk's action belongs to its area
        except KeyError:
            raise Refused(f"source {new.source}: there is no {kind} #{source_id}") from None
    if kind == "challenge" and challenge_ids is not None and source_id not in challenge_ids:
        raise Refused(f"source {new.source}: there is no challenge #{source_id} in the challenge log")
    check_links(registry, new.indicators, new.area)
    values = {
        "title": new.title,
        "source_kind": kind,
        "source_id": source_id,
        "owner": owner_of(new.owner),
        "started_on": new.started_on or today,
        "due": new.due,
        "status": "not started",
        "area": area,
        "public": new.public,
    }
    return get(records, history.create(records, "action", values, by, links={"indicator": new.indicators}))


def update(records: Records, action_id: int, fields: dict, by: str, today: date) -> Action:
    try:
        change = ActionChange(**fields)
    except ValidationError as err:
        raise describe(err, "action update") from None
    current = get(records, action_id)
    if change.status == "done" and not (change.evidence or current.evidence):
        raise Refused(f"action #{action_id} not updated: marking it done needs --evidence of completion")
    values = change.model_dump(exclude={"note"}, exclude_none=True)
    if change.status == "done" and current.status != "done":
        values["done_on"] = today
    elif change.status not in (None, "done"):
        values["done_on"] = None
    history.change(records, "action", action_id, values, by, note=change.note)
    return get(records, action_id)


def get(records: Records, action_id: int) -> Action:
    row = history.row(records, "action", action_id)
    return Action(**row, indicators=tuple(history.linked(records, "action", action_id, "indicator")))


def listed(records: Records, as_of: date, overdue_only: bool = False, source: str | None = None) -> list[Action]:
    """Overdue first (most days first), then by due date."""
    wanted = parse_source(source) if source else None
    found = [get(records, row["action_id"]) for row in history.all_rows(records, "action")]
    found = [
        a
        for a in found
        if (not overdue_only or a.days_overdue(as_of))
        and (
            wanted is None
            or (a.source_kind, a.source_id) == wanted
            or (wanted[1] is None and a.source_kind == wanted[0])
        )
    ]
    return sorted(found, key=lambda a: (-a.days_overdue(as_of), a.status == "done", a.due, a.action_id))
