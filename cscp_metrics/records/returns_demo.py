"""The demo partnership's returns for 2021-22 Q1 (April-June 2021) as of 16 August 2021: most agencies on
time, youth offending ten days late, probation's upload refused, CAMHS just late, public health missing."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

from cscp_metrics.records import returns_status, workspace
from cscp_metrics.store.loading import load_file
from cscp_metrics.store.publishing import new_version
from cscp_metrics.store.statements import scalar

AS_OF = date(2021, 8, 16)
QUARTER = ("2021-04-01", "2021-06-30")
RECEIVED = {
    "local_authority": "2021-07-12",
    "education": "2021-07-19",
    "police": "2021-07-21",
    "lado": "2021-07-23",
    "community_safety": "2021-07-26",
    "health": "2021-07-28",
    "safety_net": "2021-07-29",
    "partnership": "2021-07-30",
    "youth_offending": "2021-08-09",
}
DUE_DAYS = {"camhs": 45, "public_health": 14}
REFUSED = ("probation", "2021-07-27")


def seed(db: str | Path | None = None) -> list[str]:
    """Load each on-time or late return through the loader, dated as it would have arrived, and record
    probation's refused attempt; the store's settings carry the demo's 'today' for the status."""
    lines = []
    with new_version(db) as con, TemporaryDirectory() as folder, workspace.opened(db) as records:
        con.execute(
            "UPDATE loads SET started_at = ?, finished_at = ? WHERE outcome = 'loaded'",  # the history so far
            [datetime(2021, 4, 20, 10), datetime(2021, 4, 20, 10)],
        )
        for agency, days in DUE_DAYS.items():
            returns_status.set_schedule(records, agency, "quarterly", days, by="demo")
        for agency, arrived in RECEIVED.items():
            measures = [
                r[0]
                for r in con.execute(
                    "SELECT DISTINCT measure_id FROM partner_returns WHERE agency = ? AND breakdown_dimension IS NULL "
                    "ORDER BY 1",
                    [agency],
                ).fetchall()
            ]
            path = Path(folder) / f"{agency}_2021-22_Q1.csv"
            path.write_text(
                "agency,measure_id,period_start,period_end,value\n"
                + "".join(
                    f"{agency},{m},{QUARTER[0]},{QUARTER[1]},{(i * 7) % 23 + 6}\n" for i, m in enumerate(measures)
                )
            )
            result = load_file(con, "partner_returns", path)
            _backdate(con, result.load_id, arrived, f"returns@{agency}.demo")
            lines.append(f"{agency}: {result.rows} rows received {arrived}")
        agency, attempted = REFUSED
        bad = Path(folder) / f"{agency}_2021-22_Q1.csv"
        bad.write_text(
            f"agency,measure_id,period_start,period_end,value\n{agency},cp_conferences_probation_attended,"
            f"{QUARTER[0]},2021-03-31,12\n"
        )
        result = load_file(con, "partner_returns", bad)
        reason = next(m for m in result.messages if "row 1" in m).split(": ", 1)[1]
        load_id = scalar(con, "SELECT max(load_id) FROM loads")
        _backdate(con, load_id, attempted, f"returns@{agency}.demo")
        returns_status.record_attempt(
            records,
            agency,
            (date(2021, 4, 1), date(2021, 6, 30)),
            "refused",
            reason,
            load_id,
            by=f"returns@{agency}.demo",
        )
        records.execute(
            "UPDATE return_attempts SET attempted_at = ? WHERE load_id = ?",
            [datetime.fromisoformat(attempted + "T10:00"), load_id],
        )
        con.execute("INSERT OR REPLACE INTO settings VALUES ('returns_as_of', ?)", [AS_OF.isoformat()])
        from cscp_metrics.store.aggregates import build as build_aggregates

        build_aggregates(con)
        lines.append(f"{agency}: upload refused {attempted} ({reason})")
    return lines


def _backdate(con, load_id: int | None, day: str, by: str) -> None:
    when = datetime.fromisoformat(day + "T10:00")
    con.execute(
        "UPDATE loads SET started_at = ?, finished_at = ?, loaded_by = ? WHERE load_id = ?", [when, when, by, load_id]
    )
