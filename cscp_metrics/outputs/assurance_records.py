"""Overdue actions and the risks whose indicators moved, for the board pack, read from the assurance records
(`cscp_metrics.records.risks` / `.actions`) on the same day the Assurance page counts from. A public pack takes
only the records marked public."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from cscp_metrics.records import actions, risks, workspace
from cscp_metrics.scrutiny.assurance_board import assurance_as_of
from cscp_metrics.scrutiny.signals import Signal

MOVED_KINDS = ("change", "spc")  # where to look's findings that an indicator moved beyond normal variation


@dataclass(frozen=True)
class RecordLine:
    reference: str
    text: str

    @property
    def line(self) -> str:
        return f"{self.reference}: {self.text}"


def as_of(con: duckdb.DuckDBPyConnection) -> date:
    """The day the Assurance page counts overdue from (the store's 'today')."""
    return assurance_as_of(con)


def overdue_actions(con: duckdb.DuckDBPyConnection, store: Path | None, public: bool) -> list[RecordLine] | None:
    day = as_of(con)
    with workspace.opened(store) as records:
        found = actions.listed(records, day, overdue_only=True)
    return [
        RecordLine(f"Action #{a.action_id}", f"{a.title} ({a.owner}): {a.status_text(day)}")
        for a in found
        if a.public or not public
    ]


def risks_that_moved(store: Path | None, signals: list[Signal], public: bool) -> list[RecordLine] | None:
    """Open risks with a linked indicator that where to look finds changed (against last year, or SPC)."""
    moved: dict[str, str] = {}
    for signal in signals:
        if signal.kind in MOVED_KINDS:
            moved.setdefault(signal.indicator_id, signal.sentence)
    with workspace.opened(store) as records:
        register = risks.listed(records, "open")
    return [
        RecordLine(f"Risk #{r.risk_id}", f"{r.title} ({r.rating}, {r.owner}). {moved[i]}")
        for r in register
        if r.public or not public
        for i in r.indicators
        if i in moved
    ]
