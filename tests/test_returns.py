"""Return status per agency and period, against dates worked out by hand."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from typer.testing import CliRunner

from cscp_metrics.cli.main import app as cli
from cscp_metrics.records import returns_demo, returns_status, workspace
from cscp_metrics.store import connection as store


@pytest.fixture(scope="module")
def seeded(demo_db, tmp_path_factory):
    target = tmp_path_factory.mktemp("returns") / "store.duckdb"
    shutil.copy(demo_db, target)
    returns_demo.seed(target)
    return target


def _by_agency(db, period, as_of):
    con = store.connect(db, read_only=True)
    try:
        with workspace.opened(db) as records:
            return {s.agency: s for s in returns_status.statuses(con, records, period, as_of)}
    finally:
        con.close()


def test_demo_mix_as_of_16_august_2021(seeded):
    found = _by_agency(seeded, "2021-22-Q1", date(2021, 8, 16))
    assert len(found) == 12  # every agency in the store is expected quarterly unless scheduled otherwise
    assert {a for a, s in found.items() if s.status == "received"} == set(returns_demo.RECEIVED)
    # youth offending: quarter ends 30 June, due 30 days later = 30 July; received 9 August = 10 days late
    assert found["youth_offending"].due == date(2021, 7, 30) and found["youth_offending"].days_late == 10
    assert found["police"].days_late == 0 and found["police"].rows == 8
    # CAMHS due 45 days after 30 June = 14 August; 16 August is 2 days late
    assert (found["camhs"].status, found["camhs"].due, found["camhs"].days_late) == ("late", date(2021, 8, 14), 2)
    # public health due 14 days after = 14 July; 33 days overdue > 28: missing
    assert (found["public_health"].status, found["public_health"].days_late) == ("missing", 33)
    assert found["probation"].status == "failed" and "must be after period_start" in found["probation"].reason
    assert {s.rag for s in found.values()} == {"green", "amber", "red"}
    assert all(s.label.startswith(s.status) for s in found.values())


def test_status_as_of_an_earlier_day(seeded):
    found = _by_agency(seeded, "2021-22-Q1", date(2021, 7, 20))
    assert found["local_authority"].status == "received"  # arrived 12 July
    assert found["police"].status == "not yet due"  # arrives 21 July, due 30 July
    assert found["probation"].status == "not yet due"  # its refused upload is on 27 July
    assert (found["public_health"].status, found["public_health"].days_late) == ("late", 6)  # due 14 July


def test_schedule_kept_in_the_working_records_changes_what_is_expected(seeded, tmp_path):
    copy = tmp_path / "s.duckdb"
    shutil.copy(seeded, copy)
    shutil.copy(workspace.records_path(seeded), workspace.records_path(copy))
    with workspace.opened(copy) as records:
        returns_status.set_schedule(records, "public_health", "annual", 60, by="test")
        with pytest.raises(ValueError):
            returns_status.set_schedule(records, "health", "weekly", 30, by="test")
    assert "public_health" not in _by_agency(copy, "2021-22-Q1", date(2021, 8, 16))
    year = _by_agency(copy, "2021-22", date(2022, 6, 1))
    assert year["public_health"].period == "2021-22" and year["public_health"].due == date(2022, 5, 30)
    with pytest.raises(ValueError, match="quarterly or annual"):
        _by_agency(copy, "2021-06", date(2021, 8, 16))


def test_cli_returns_json_uses_the_stores_as_of_day(seeded):
    result = CliRunner().invoke(cli, ["returns", "--period", "2021-22-Q1", "--format", "json", "--db", str(seeded)])
    assert result.exit_code == 0, result.output
    rows = {r["agency"]: r for r in json.loads(result.output)}
    assert rows["camhs"]["status"] == "late" and rows["camhs"]["days_late"] == 2
    bad = CliRunner().invoke(cli, ["returns", "--period", "2021-22-Q5", "--db", str(seeded)])
    assert bad.exit_code == 2 and "is not a period" in bad.output


def test_the_demo_schedules_yearly_the_agencies_whose_returns_are_all_yearly(demo_copy):
    """Police, CAMHS, probation and public health return each year whole in the demo: the pack listed them missing
    for every quarter of 2019-20 while showing their year's figures. Read from the returns themselves, by hand."""
    import duckdb

    from cscp_metrics.records.assurance_demo import seed_beside

    with duckdb.connect(str(demo_copy), read_only=True) as con:
        spans = con.execute(
            "SELECT agency, min(period_end - period_start) FROM partner_returns GROUP BY agency"
        ).fetchall()
    yearly = {agency for agency, shortest in spans if shortest >= 364}  # days
    assert yearly == {"police", "camhs", "probation", "public_health"}
    with workspace.opened(demo_copy) as records, store.connect(demo_copy, read_only=True) as con:
        lines = seed_beside(records, con)
        assert lines[-len(yearly) :] == [f"return schedule: {a} returns yearly" for a in sorted(yearly)]
        assert (
            seed_beside(records, con)[-1]
            == "assurance records: the working records already hold assurance records: nothing added"
        )
    quarter = _by_agency(demo_copy, "2019-20-Q1", date.today())
    assert not yearly & set(quarter) and all(s.status == "received" for s in quarter.values())
    year_end = _by_agency(demo_copy, "2019-20-Q4", date.today())
    assert all(year_end[a].status == "received" and year_end[a].period == "2019-20" for a in yearly)


def test_a_return_due_before_the_store_began_and_loaded_with_its_history_is_not_late(seeded, demo_db):
    """The demo's 2019-20 returns were loaded with the history (on the seeded store, dated 20 April 2021): due years
    before, they are not '2,687 days late'. The 2021-22 returns are timed from their due date, as above."""
    found = _by_agency(seeded, "2019-20-Q2", date(2021, 8, 16))
    for agency in ("lado", "community_safety"):  # quarterly returns, loaded with the history
        status = found[agency]
        assert status.status == "received" and status.days_late == 0 and status.due == date(2019, 10, 30)
        assert status.label.startswith("received 2021-04-20 with the history the store started from")
