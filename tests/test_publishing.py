"""One writer, many readers: a load is published whole by an atomic rename, readers see old or new."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from cli_process import CLI

from cscp_metrics.store import connection as store
from cscp_metrics.store.publishing import new_version, version_of


def _referral_count(path) -> int:
    con = store.connect(path, read_only=True)
    try:
        return con.execute("SELECT count(*) FROM referrals").fetchone()[0]
    finally:
        con.close()


def test_reader_keeps_its_version_while_a_new_one_is_published(demo_copy, tmp_path):
    before = _referral_count(demo_copy)
    reader = store.connect(demo_copy, read_only=True)
    old_version = version_of(demo_copy)
    (tmp_path / "r.csv").write_text("referral_id,child_id,referral_date,source\nNEW1,C000001,2020-03-30,police\n")
    result = subprocess.run(
        [
            *CLI,  # without the ready figures: this is about the store's files
            "load",
            "--table",
            "referrals",
            "--db",
            str(demo_copy),
            str(tmp_path / "r.csv"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert reader.execute("SELECT count(*) FROM referrals").fetchone()[0] == before  # the old version, whole
    reader.close()
    assert version_of(demo_copy) != old_version
    assert _referral_count(demo_copy) == before + 1
    assert not list(demo_copy.parent.glob("*.draft-*"))


def test_a_failed_write_publishes_nothing(demo_copy):
    old_version = version_of(demo_copy)
    with pytest.raises(RuntimeError):
        with new_version(demo_copy) as con:
            con.execute("DELETE FROM referrals")
            raise RuntimeError("interrupted half way")
    assert version_of(demo_copy) == old_version
    assert _referral_count(demo_copy) > 0
    assert not list(demo_copy.parent.glob("*.draft-*"))


def _cli(*args: str):
    from typer.testing import CliRunner

    from cscp_metrics.cli.main import app

    return CliRunner().invoke(app, list(args))


def test_a_refused_load_records_one_row_and_rebuilds_no_aggregates(demo_copy, tmp_path, monkeypatch):
    from cscp_metrics.store import aggregates, views

    rebuilds = []
    monkeypatch.setattr(aggregates, "build", lambda con: rebuilds.append(con) or 0)
    con = store.connect(demo_copy, read_only=True)
    data_before, loads_before = store.content_hash(con), con.execute("SELECT count(*) FROM loads").fetchone()[0]
    con.close()
    bad = tmp_path / "bad.csv"
    bad.write_text("referral_id,child_id,referral_date,source\nX1,C000001,not-a-date,police\n")
    result = _cli("load", "--table", "referrals", "--db", str(demo_copy), str(bad))
    assert result.exit_code == 1 and "not an ISO date" in result.output
    assert rebuilds == []  # nothing was loaded, so no figure can have changed
    con = store.connect(demo_copy, read_only=True)
    assert store.content_hash(con) == data_before
    assert con.execute("SELECT count(*), max_by(outcome, load_id) FROM loads").fetchone() == (
        loads_before + 1,
        "refused",
    )
    shown = views.loads_shown(views.loads(con), public=False)  # as the Data page lists the loads to a member
    public = views.loads_shown(views.loads(con), public=True)
    agencies = views.agencies_shown(views.last_return_per_agency(con))
    latest_good = views.latest_load_line(views.loads(con).iloc[[1]])  # the demo's corrections file: one row
    con.close()
    assert list(agencies.columns) == ["Agency", "Measures returned", "Latest period ending", "Last load"]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in agencies["Latest period ending"])  # no time of day
    assert ", 1 row, finished " in latest_good
    assert list(shown.columns) == list(views.LOAD_COLUMNS.values())
    assert list(public.columns) == [c for c in shown.columns if c != "Loaded by"]  # an upload records an email
    newest = shown.iloc[0]
    assert newest["Outcome"] == "refused" and "not an ISO date" in newest["Why refused"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", newest["Finished"])  # to the second
    assert (shown["Why refused"] == "").sum() == len(shown) - 1  # nothing, not 'None', where nothing was refused
    good = tmp_path / "good.csv"
    good.write_text("referral_id,child_id,referral_date,source\nNEW9,C000001,2020-03-30,police\n")
    assert _cli("load", "--table", "referrals", "--db", str(demo_copy), str(good)).exit_code == 0
    assert len(rebuilds) == 1  # a load that stored rows rebuilds them


def test_load_refuses_a_store_that_does_not_exist_unless_asked(tmp_path):
    lost = tmp_path / "lost" / "cscp.duckdb"
    csv = tmp_path / "r.csv"
    csv.write_text("referral_id,child_id,referral_date,source\nR1,C000001,2020-03-30,police\n")
    result = _cli("load", "--table", "referrals", "--db", str(lost), str(csv))
    assert result.exit_code == 2
    assert f"there is no store at {lost}" in result.output and "cscp demo" in result.output
    assert not lost.parent.exists()  # not even a folder or a lock file
    result = _cli("load", "--create", "--table", "referrals", "--db", str(lost), str(csv))
    assert result.exit_code == 0, result.output
    assert _referral_count(lost) == 1


@pytest.mark.parametrize(
    "command",
    [
        ["metric", "referrals"],
        ["metric", "cp_plan_rate", "--area", "England"],
        ["outliers"],
        ["figures", "check"],
        ["benchmarks", "import"],
        ["funnel", "re_referral_rate"],
    ],
)
def test_commands_on_a_missing_store_say_so_and_create_nothing(tmp_path, command):
    lost = tmp_path / "cscp.duckdb"
    result = _cli(*command, "--db", str(lost))
    assert result.exit_code == 2, result.output
    assert f"there is no store at {lost}" in result.output and "not published" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not lost.exists()


def test_demo_force_keeps_the_old_store_published_until_the_new_one_is_whole(demo_copy, monkeypatch):
    from cscp_metrics.demo import build as demo_build

    old_version = version_of(demo_copy)
    before = _referral_count(demo_copy)

    def interrupted(con):
        con.execute("CREATE TABLE half_built AS SELECT 1 AS x")
        raise KeyboardInterrupt  # what Ctrl-C half way through a rebuild does

    monkeypatch.setattr(demo_build, "build", interrupted)
    result = _cli("demo", "--force", "--db", str(demo_copy))
    assert result.exit_code == 130  # typer: interrupted
    assert version_of(demo_copy) == old_version and _referral_count(demo_copy) == before
    assert not list(demo_copy.parent.glob("*.draft-*"))


def test_demo_force_builds_into_an_empty_draft_not_a_copy(demo_copy, monkeypatch):
    from cscp_metrics.demo import build as demo_build

    seen = []
    monkeypatch.setattr(
        demo_build, "build", lambda con: seen.append(con.execute("SELECT count(*) FROM referrals").fetchone()[0]) or []
    )
    assert _cli("demo", "--force", "--db", str(demo_copy)).exit_code == 0
    assert seen == [0] and _referral_count(demo_copy) == 0


def test_the_next_writer_removes_drafts_left_by_killed_writers(demo_copy):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)  # a process that has exited
    left = [
        demo_copy.with_name(f"{demo_copy.name}.draft-{pid}"),
        demo_copy.with_name(f"{demo_copy.name}.draft-{pid}.wal"),
    ]
    for path in left:
        path.write_bytes(b"x" * 1000)
    spill = demo_copy.with_name(f"{demo_copy.name}.draft-{pid}.tmp")
    spill.mkdir()
    (spill / "duckdb_temp_storage-0.tmp").write_bytes(b"x")
    other_store = demo_copy.with_name("other.duckdb.draft-1")
    other_store.write_bytes(b"not ours")
    with new_version(demo_copy):
        pass
    assert not any(path.exists() for path in [*left, spill])
    assert other_store.exists()  # another store's drafts are its own writers' business
    assert sorted(p.name for p in demo_copy.parent.iterdir() if "draft" in p.name) == ["other.duckdb.draft-1"]
