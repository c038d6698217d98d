"""Overdue actions and the risks whose indicators moved, for the board pack. The assurance records (risk register
and actions log, `cscp_metrics.records.risks` / `.actions`) are read through these two functions only: where a
store's code has no such record yet, each returns None and the pack has no slide for it. A public pack takes
only the records marked public."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType

import duckdb

from cscp_metrics.records import returns_status, workspace
from cscp_metrics.scrutiny.signals import Signal

MOVED_KINDS = ("change", "spc")   # where to look's findings that an indicator moved beyond normal variation


@dataclass(frozen=True)
class RecordLine:
    reference: str
    text: str

    @property
    def line(self) -> str:
        return f"{self.reference}: {self.text}"


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"cscp_metrics.records.{name}")
    except ModuleNotFoundError:
        return None


def as_of(con: duckdb.DuckDBPyConnection) -> date:
    """The day the Assurance page counts overdue from (the store's 'today'), else the returns' one."""
    board = _module("assurance_board")
    found = getattr(board, "assurance_as_of", None) if board else None
    return found(con) if callable(found) else returns_status.default_as_of(con)


def overdue_actions(con: duckdb.DuckDBPyConnection, store: Path | None, public: bool) -> list[RecordLine] | None:
    actions = _module("actions")
    if actions is None or not callable(getattr(actions, "listed", None)):
        return None
    day = as_of(con)
    with workspace.opened(store) as records:
        found = actions.listed(records, day, overdue_only=True)
    return [RecordLine(f"Action #{a.action_id}", f"{a.title} ({a.owner}): {a.status_text(day)}")
            for a in found if a.public or not public]


def risks_that_moved(store: Path | None, signals: list[Signal], public: bool) -> list[RecordLine] | None:
    """Open risks with a linked indicator that where to look finds changed (against last year, or SPC)."""
    risks = _module("risks")
    if risks is None or not callable(getattr(risks, "listed", None)):
        return None
    moved = {}
    for signal in signals:
        if signal.kind in MOVED_KINDS:
            moved.setdefault(signal.indicator_id, signal.sentence)
    with workspace.opened(store) as records:
        register = risks.listed(records, "open")
    return [RecordLine(f"Risk #{r.risk_id}", f"{r.title} ({r.rating}, {r.owner}). {moved[i]}")
            for r in register if r.public or not public for i in r.indicators if i in moved]
