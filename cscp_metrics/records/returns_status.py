"""Return status per agency and period: each expected partner return (agency x period, from the schedule in
the working records, quarterly by default) is received, failed (last attempt refused), late (due date passed)
or missing (overdue by more than MISSING_AFTER_DAYS), or not yet due. Every status has a text label."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

import duckdb

from cscp_metrics.indicators.periods import Period, parse_period, quarters_of
from cscp_metrics.records.workspace import Records
from cscp_metrics.store.settings import setting

DEFAULT_FREQUENCY, DEFAULT_DUE_DAYS, MISSING_AFTER_DAYS = "quarterly", 30, 28
RAG = {"received": "green", "not yet due": "blue", "late": "amber", "failed": "red", "missing": "red"}


@dataclass(frozen=True)
class ReturnStatus:
    agency: str
    period: str
    status: str  # received | late | failed | missing | not yet due
    rag: str
    due: date
    received_at: datetime | None
    rows: int
    days_late: int  # past the due date: when received, or as of today when not
    reason: str | None
    label: str  # the status in words, e.g. "late: 17 days past the due date 2021-07-30"

    def as_dict(self) -> dict:
        return asdict(self)


def expected(period: Period, frequency: str) -> list[Period]:
    """The return periods an agency owes within `period` (a quarter or a financial year)."""
    if frequency == "quarterly":
        return [period] if period.kind == "quarter" else quarters_of(period.label)
    if frequency == "annual" and (period.kind == "year" or period.end == parse_period(period.fy_label).end):
        return [parse_period(period.fy_label)]
    return []


def schedule(con: duckdb.DuckDBPyConnection, records: Records) -> dict[str, tuple[str, int]]:
    """Every agency in the store, with its schedule row or the quarterly default."""
    configured = {
        r["agency"]: (r["frequency"], int(r["due_days"])) for r in records.rows("SELECT * FROM return_schedule")
    }
    agencies = [r[0] for r in con.execute("SELECT agency_id FROM agencies ORDER BY agency_id").fetchall()]
    return {a: configured.get(a, (DEFAULT_FREQUENCY, DEFAULT_DUE_DAYS)) for a in agencies}


def schedule_from_returns(con: duckdb.DuckDBPyConnection, records: Records, by: str) -> list[str]:
    """Where no schedule is kept yet: an agency whose every return covers a whole financial year returns yearly
    (the demo's police, CAMHS, probation and public health), so its quarters are not listed as missing while the
    pack shows its year's figures. The rest stay quarterly, the default."""
    if records.scalar("SELECT count(*) FROM return_schedule_events"):
        return []
    yearly = [
        agency
        for (agency,) in con.execute(
            "SELECT agency FROM partner_returns GROUP BY agency "
            "HAVING bool_and(period_end - period_start >= 364) ORDER BY agency"
        ).fetchall()
    ]
    for agency in yearly:
        set_schedule(records, agency, "annual", DEFAULT_DUE_DAYS, by)
    return [f"{agency} returns yearly" for agency in yearly]


def set_schedule(records: Records, agency: str, frequency: str, due_days: int, by: str) -> None:
    if frequency not in ("quarterly", "annual", "none") or not 0 <= due_days <= 365:
        raise ValueError("frequency must be quarterly, annual or none, and due days 0-365")
    records.execute(
        "INSERT INTO return_schedule_events VALUES (nextval('return_schedule_seq'), ?, ?, ?, current_timestamp, ?)",
        [agency, frequency, due_days, by],
    )


def record_attempt(
    records: Records,
    agency: str,
    span: tuple[date | None, date | None],
    outcome: str,
    reason: str | None,
    load_id: int | None,
    by: str,
) -> None:
    records.execute(
        "INSERT INTO return_attempts VALUES (nextval('return_attempt_seq'), ?, ?, ?, ?, ?, ?, current_timestamp, ?)",
        [agency, span[0], span[1], outcome, reason, load_id, by],
    )


def statuses(
    con: duckdb.DuckDBPyConnection, records: Records, period_label: str, as_of: date | None = None
) -> list[ReturnStatus]:
    period, today = parse_period(period_label), as_of or date.today()
    if period.kind == "month":
        raise ValueError(
            f"returns are quarterly or annual: use a quarter like 2021-22-Q1 or a year, not {period_label}"
        )
    found, started = [], _first_load(con)
    for agency, (frequency, due_days) in schedule(con, records).items():
        for owed in expected(period, frequency):
            found.append(_status(con, records, agency, owed, owed.end + timedelta(days=due_days), today, started))
    return found


def _first_load(con: duckdb.DuckDBPyConnection) -> datetime | None:
    row = con.execute("SELECT min(finished_at) FROM loads WHERE outcome = 'loaded'").fetchone()
    return row[0] if row else None


def _status(
    con, records: Records, agency: str, owed: Period, due: date, today: date, started: datetime | None
) -> ReturnStatus:
    """started: when the store's first load finished (the history it began from)."""
    received_at, rows = con.execute(
        "SELECT min(l.finished_at), count(*) FROM partner_returns r JOIN loads l USING (load_id) "
        "WHERE r.agency = ? AND r.period_start >= ? AND r.period_end <= ? AND l.finished_at::DATE <= ?",
        [agency, owed.start, owed.end, today],
    ).fetchone()
    if rows:
        late = max(0, (received_at.date() - due).days)
        words = f"received {received_at:%Y-%m-%d}, {rows} rows" + (f", {late} days after the due date" if late else "")
        if started is not None and due < started.date() and received_at.date() <= started.date():
            late = 0  # due before the store kept returns: arriving with its history is not lateness it can measure
            words = f"received {received_at:%Y-%m-%d} with the history the store started from, {rows} rows"
        return ReturnStatus(agency, owed.label, "received", RAG["received"], due, received_at, rows, late, None, words)
    attempt = records.rows(
        "SELECT outcome, reason, attempted_at FROM return_attempts WHERE agency = ? AND attempted_at::DATE <= ? "
        "AND coalesce(period_start, ?) <= ? AND coalesce(period_end, ?) >= ? ORDER BY attempt_id DESC LIMIT 1",
        [agency, today, owed.start, owed.end, owed.end, owed.start],
    )
    days_late = max(0, (today - due).days)
    if attempt and attempt[0]["outcome"] in ("refused", "not allowed"):
        reason = attempt[0]["reason"]
        return ReturnStatus(
            agency,
            owed.label,
            "failed",
            RAG["failed"],
            due,
            None,
            0,
            days_late,
            reason,
            f"failed: last attempt {attempt[0]['attempted_at']:%Y-%m-%d} refused ({reason})",
        )
    if today <= due:
        return ReturnStatus(
            agency, owed.label, "not yet due", RAG["not yet due"], due, None, 0, 0, None, f"not yet due (due {due})"
        )
    status = "missing" if days_late > MISSING_AFTER_DAYS else "late"
    return ReturnStatus(
        agency,
        owed.label,
        status,
        RAG[status],
        due,
        None,
        0,
        days_late,
        None,
        f"{status}: nothing received, {days_late} days past the due date {due}",
    )


def default_as_of(con: duckdb.DuckDBPyConnection) -> date:
    """The store's `returns_as_of` setting (the demo's 'today'), else today."""
    found = setting(con, "returns_as_of")
    return date.fromisoformat(found) if found else date.today()
