"""What the meeting's papers take from the working records: the challenge log, overdue actions and which returns
are late. Each is read through one small function, so a record that does not exist yet (the actions log) is
simply a slide that is not in the pack."""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

import duckdb

from cscp_metrics.records import challenges, returns_status, workspace


@dataclass(frozen=True)
class OverdueAction:
    reference: str
    action: str
    owner: str
    due: date
    days_overdue: int

    @property
    def line(self) -> str:
        return f"{self.reference}: {self.action} ({self.owner}), due {self.due}, {self.days_overdue} days overdue"


class ActionSource(Protocol):
    """What the pack needs from an actions log: the actions past their due date and not done, as of a day."""

    def __call__(self, store: Path | None, as_of: date) -> list[OverdueAction]: ...


ACTIONS_MODULE = "cscp_metrics.records.actions"


def action_source() -> ActionSource | None:
    """The actions log's `overdue_actions(store, as_of)`, once `cscp_metrics.records.actions` provides one;
    None until then (no slide)."""
    try:
        module = importlib.import_module(ACTIONS_MODULE)
    except ModuleNotFoundError:
        return None
    found: Callable | None = getattr(module, "overdue_actions", None)
    return found if callable(found) else None


def challenge_lines(store: Path | None, period: str) -> list[str]:
    """The meeting list: open challenges carried forward, and this period's answered or closed ones."""
    with challenges.snapshot(store) as log:
        logged = [c for c in challenges.meeting_list(log, period) if c.shown_in(period)]
    return [c.line + (f", due {c.due_date}" if c.due_date else "") + (f". Response: {c.response}" if c.response else "")
            for c in logged]


@dataclass(frozen=True)
class ReturnsSummary:
    as_of: date
    counts: dict[str, int]
    not_received: tuple[str, ...]           # "agency period: status in words", for every return not received

    @property
    def headline(self) -> str:
        order = ("received", "late", "failed", "missing", "not yet due")
        return f"Partner returns as of {self.as_of}: " + ", ".join(f"{self.counts.get(s, 0)} {s}" for s in order)


def returns_summary(con: duckdb.DuckDBPyConnection, store: Path | None, period: str) -> ReturnsSummary:
    as_of = returns_status.default_as_of(con)
    with workspace.opened(store) as records:
        found = returns_status.statuses(con, records, period, as_of)
    counts: dict[str, int] = {}
    for status in found:
        counts[status.status] = counts.get(status.status, 0) + 1
    late = tuple(f"{s.agency} {s.period}: {s.label}" for s in found if s.status in ("late", "failed", "missing"))
    return ReturnsSummary(as_of, counts, late)
