"""The challenge log: questions the scrutineer raises against an indicator and period, with their history.

It lives in its own DuckDB file beside the store (data/cscp.challenges.duckdb), opened briefly for each
read or write, so any number of app processes can serve the read-only store and still record challenges."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Literal

import duckdb
from pydantic import BaseModel, ConfigDict, Field

from cscp_metrics.records.duckdb_file import CREATING_TABLES, FileBusy, close, connect_waiting
from cscp_metrics.store.connection import resolve_db_path
from cscp_metrics.store.statements import scalar

Status = Literal["open", "answered", "closed"]
WAIT_S = 15.0  # how long a read or write waits for another process's brief hold on the log before saying so


class NewChallenge(BaseModel):
    """What a scrutineer types in: checked before anything is stored."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)
    indicator_id: str = Field(min_length=1)
    period: str = Field(pattern=r"^\d{4}-\d{2}(-Q[1-4])?$")
    question: str = Field(min_length=3, max_length=2000)
    owner_agency: str = Field(min_length=1, max_length=200)
    due_date: date | None = None
    recorded_by: str = Field(default="scrutineer", max_length=200)


class Challenge(BaseModel):
    model_config = ConfigDict(frozen=True)
    challenge_id: int
    indicator_id: str
    period: str
    question: str
    owner_agency: str
    due_date: date | None
    status: Status
    response: str | None
    recorded_at: datetime
    recorded_by: str | None

    @property
    def line(self) -> str:
        return f"#{self.challenge_id} {self.status}: {self.question} ({self.owner_agency})"

    def shown_in(self, period: str) -> bool:
        """Open ones are carried forward into later periods; closed ones stay with their own period."""
        return self.period == period or (self.status != "closed" and self.period <= period)


def log_path(store: str | Path | None = None) -> Path:
    path = resolve_db_path(store)
    return path.with_name(path.name.removesuffix(".duckdb") + ".challenges.duckdb")


class LogBusy(RuntimeError):
    """Another process held the log for longer than we waited."""

    def __init__(self, path: Path, waited: float) -> None:
        super().__init__(
            f"the challenge log {path} was busy (another process held it for {waited:.0f} s); "
            "nothing was changed; try again in a moment"
        )


def _connect(path: Path, read_only: bool, wait_s: float | None) -> duckdb.DuckDBPyConnection:
    """DuckDB locks the file: one writer, or any number of readers. Every hold is brief, so wait, then say so."""
    try:
        return connect_waiting(path, read_only, WAIT_S if wait_s is None else wait_s)
    except FileBusy as busy:
        raise LogBusy(path, busy.waited_s) from None


@contextmanager
def opened(store: str | Path | None = None, wait_s: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-write connection, for writes only: keep the block short, other processes wait on it."""
    path = log_path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(path, read_only=False, wait_s=wait_s)
    try:
        with CREATING_TABLES:
            con.execute(
                resources.files("cscp_metrics.records.schema").joinpath("challenge_log.sql").read_text(encoding="utf-8")
            )
        yield con
    finally:
        close(con)


@contextmanager
def reading(store: str | Path | None = None, wait_s: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-only connection: readers never block each other, only a write's brief moment."""
    path = log_path(store)
    if not path.is_file():
        with opened(store, wait_s):  # a new log gets its tables once, by a writer
            pass
    con = _connect(path, read_only=True, wait_s=wait_s)
    try:
        yield con
    finally:
        close(con)


@contextmanager
def snapshot(store: str | Path | None = None, wait_s: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory copy of the log, for long runs (`cscp outliers`) that must not hold the file while they work."""
    copy = duckdb.connect(":memory:")
    copy.execute(
        resources.files("cscp_metrics.records.schema").joinpath("challenge_log.sql").read_text(encoding="utf-8")
    )
    with reading(store, wait_s) as log:
        cursor = log.execute("SELECT * FROM challenge_events ORDER BY event_id")
        rows = cursor.fetchall()
    if rows:
        copy.executemany(f"INSERT INTO challenge_events VALUES ({', '.join('?' * len(rows[0]))})", rows)
    try:
        yield copy
    finally:
        copy.close()


def raise_challenge(con: duckdb.DuckDBPyConnection, new: NewChallenge) -> int:
    challenge_id = scalar(con, "SELECT nextval('challenge_id_seq')")
    con.execute(
        "INSERT INTO challenge_events VALUES (nextval('challenge_event_seq'), ?, ?, ?, ?, ?, ?, 'open', NULL, now(), ?)",
        [challenge_id, new.indicator_id, new.period, new.question, new.owner_agency, new.due_date, new.recorded_by],
    )
    return int(challenge_id)


def update(
    con: duckdb.DuckDBPyConnection,
    challenge_id: int,
    status: Status,
    response: str | None = None,
    recorded_by: str = "scrutineer",
) -> Challenge:
    """A new event row carrying the challenge forward with a new status and response; history is kept."""
    if status not in ("open", "answered", "closed"):
        raise ValueError(f"status must be open, answered or closed (got {status!r})")
    current = get(con, challenge_id)
    con.execute(
        "INSERT INTO challenge_events VALUES (nextval('challenge_event_seq'), ?, ?, ?, ?, ?, ?, ?, ?, now(), ?)",
        [
            challenge_id,
            current.indicator_id,
            current.period,
            current.question,
            current.owner_agency,
            current.due_date,
            status,
            response if response is not None else current.response,
            recorded_by,
        ],
    )
    return get(con, challenge_id)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[Challenge]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [Challenge(**dict(zip(names, row))) for row in cur.fetchall()]


def get(con: duckdb.DuckDBPyConnection, challenge_id: int) -> Challenge:
    found = _rows(con, "SELECT * FROM challenges_current WHERE challenge_id = ?", [challenge_id])
    if not found:
        raise KeyError(f"no challenge #{challenge_id}; `cscp challenge list` shows them")
    return found[0]


def history(con: duckdb.DuckDBPyConnection, challenge_id: int) -> list[Challenge]:
    return _rows(
        con,
        "SELECT * EXCLUDE (event_id) FROM challenge_events WHERE challenge_id = ? ORDER BY event_id",
        [challenge_id],
    )


def meeting_list(con: duckdb.DuckDBPyConnection, period: str | None = None) -> list[Challenge]:
    """Everything not closed (carried forward from earlier periods), plus what was raised for this period."""
    everything = _rows(
        con, "SELECT * FROM challenges_current ORDER BY status = 'closed', due_date NULLS LAST, challenge_id", []
    )
    return for_meeting(everything, period)


def for_meeting(everything: list[Challenge], period: str | None) -> list[Challenge]:
    """meeting_list from the whole log read once (a page keeps it until the log's file changes)."""
    return [c for c in everything if c.status != "closed" or (c.period is not None and period in (None, c.period))]


def for_indicator(con: duckdb.DuckDBPyConnection, indicator_id: str, period: str) -> list[Challenge]:
    """Shown on the indicator's tile: open ones from this or any earlier period, and this period's closed ones."""
    return [c for c in meeting_list(con, period) if c.indicator_id == indicator_id and c.shown_in(period)]
