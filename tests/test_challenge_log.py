"""The challenge log is shared by every app process and the CLI: reads never hold it for long, writes wait briefly
for each other, and a log busy for too long is a message, never a traceback."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from cscp_metrics.cli.main import app as cli
from cscp_metrics.records import challenges
from cscp_metrics.store import connection as store

APP = str(Path(__file__).resolve().parent.parent / "app.py")
HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "read")
print("held", flush=True)
time.sleep(float(sys.argv[3]))
"""


def _hold(log: Path, mode: str, seconds: float) -> subprocess.Popen:
    """Another process holding the log (DuckDB's lock is per process)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(log), mode, str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "held"
    return proc


def _new(question: str = "Why so low?") -> challenges.NewChallenge:
    return challenges.NewChallenge(
        indicator_id="re_referral_rate", period="2019-20", question=question, owner_agency="Children and Families"
    )


def test_challenge_add_and_a_new_app_session_work_while_outliers_runs(demo_copy, monkeypatch):
    with challenges.opened(demo_copy) as log:
        challenges.raise_challenge(log, _new("Raised before the run"))
    con = store.connect(demo_copy)
    con.execute("DELETE FROM ready_builds WHERE part = 'signals'")  # computed live: a run long enough to overlap
    con.close()
    outliers = subprocess.Popen(
        [sys.executable, "-m", "cscp_metrics.cli", "outliers", "--db", str(demo_copy)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(3)  # into the run (about 2 s to start, then 5 s or more computing the signals live)
        assert outliers.poll() is None, "outliers finished too soon for this test to mean anything"
        added = subprocess.run(
            [
                sys.executable,
                "-m",
                "cscp_metrics.cli",
                "challenge",
                "add",
                "re_referral_rate",
                "2019-20",
                "Raised during the run",
                "--owner",
                "Police",
                "--db",
                str(demo_copy),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert added.returncode == 0 and "recorded" in added.stdout, added.stderr
        assert outliers.poll() is None
        monkeypatch.setenv("CSCP_DB", str(demo_copy))
        at = AppTest.from_file(APP, default_timeout=180)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    finally:
        outliers.kill()
        outliers.wait()
    with challenges.reading(demo_copy) as log:
        assert [c.question for c in challenges.meeting_list(log)] == ["Raised before the run", "Raised during the run"]


def test_readers_do_not_block_each_other_and_a_writer_waits_for_a_brief_hold(tmp_path):
    db = tmp_path / "s.duckdb"
    with challenges.opened(db) as log:
        challenges.raise_challenge(log, _new())
    reader = _hold(challenges.log_path(db), "read", 1.5)
    started = time.monotonic()
    with challenges.reading(db, wait_s=0.2) as log:  # at once, beside the other reader
        assert len(challenges.meeting_list(log)) == 1
    assert time.monotonic() - started < 1.0
    with challenges.opened(db, wait_s=10) as log:  # waits for the reader to let go
        challenges.raise_challenge(log, _new("Second"))
    assert time.monotonic() - started >= 1.0
    reader.wait()


def test_a_log_busy_for_too_long_is_a_message_not_a_traceback(tmp_path, monkeypatch):
    db = tmp_path / "s.duckdb"
    with challenges.opened(db) as log:
        challenges.raise_challenge(log, _new())
    writer = _hold(challenges.log_path(db), "write", 20)
    try:
        monkeypatch.setattr(challenges, "WAIT_S", 1.0)
        for command in (
            ["challenge", "add", "re_referral_rate", "2019-20", "Why?", "--owner", "Police"],
            ["challenge", "update", "1", "--status", "closed"],
            ["challenge", "list"],
        ):
            result = CliRunner().invoke(cli, [*command, "--db", str(db)])
            assert result.exit_code == 3, result.output
            assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
            assert "challenge log" in result.output and "busy" in result.output and "try again" in result.output
        with pytest.raises(challenges.LogBusy):
            with challenges.reading(db):
                pass
    finally:
        writer.kill()
        writer.wait()
    with challenges.reading(db) as log:  # nothing was half written
        assert len(challenges.history(log, 1)) == 1
