"""What the meeting's papers take from the working records: the challenge log and which returns are late (the
assurance records, risks and actions, are read in assurance_records)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from cscp_metrics.records import challenges, returns_status, workspace


def challenge_lines(store: Path | None, period: str) -> list[str]:
    """The meeting list: open challenges carried forward, and this period's answered or closed ones."""
    with challenges.snapshot(store) as log:
        logged = [c for c in challenges.meeting_list(log, period) if c.shown_in(period)]
    return [
        c.line + (f", due {c.due_date}" if c.due_date else "") + (f". Response: {c.response}" if c.response else "")
        for c in logged
    ]


@dataclass(frozen=True)
class ReturnsSummary:
    as_of: date
    counts: dict[str, int]
    not_received: tuple[str, ...]  # "agency period: status in words", for every return not received

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
