"""kill -9 at random moments of `cscp load` and `cscp demo --force`: the store always opens, holding the old version
or the new one, never neither and never half; the next writer removes what the dead one left beside the store.

CSCP_CRASH_RUNS (default 2) sets the number of kills of each command; CSCP_CRASH_SEED the random delays."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from cscp_metrics.store.publishing import new_version

RUNS = int(os.environ.get("CSCP_CRASH_RUNS", "2"))
SEED = int(os.environ.get("CSCP_CRASH_SEED", "11"))
NEW_ROWS = 5_000


def _state(path: Path) -> tuple[int, bool, int]:
    """Referrals, whether the old store's marker is there, and the aggregates: the store must open and answer."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        referrals = con.execute("SELECT count(*) FROM referrals").fetchone()[0]
        marked = (
            con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'old_marker'").fetchone()[0]
            == 1
        )
        aggregates = con.execute("SELECT count(*) FROM measure_aggregates").fetchone()[0]
    finally:
        con.close()
    return referrals, marked, aggregates


def _kill_after(command: list[str], delay: float) -> tuple[int, bool]:
    """Run, and kill -9 after `delay` seconds unless it has finished; the pid and whether it was killed."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "cscp_metrics.cli", *command], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    killed = proc.poll() is None
    if killed:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return proc.pid, killed


def _drafts_of(path: Path, pid: int) -> list[Path]:
    return list(path.parent.glob(f"{path.name}.draft-{pid}*"))


def _next_writer_cleans(path: Path, pid: int) -> None:
    with new_version(path):
        pass
    assert not _drafts_of(path, pid)


def _referrals_file(path: Path, run: int, children: list[str]) -> None:
    lines = ["referral_id,child_id,referral_date,source"]
    lines += [f"K{run}-{i},{children[i % len(children)]},2020-0{1 + i % 3}-15,police" for i in range(NEW_ROWS)]
    path.write_text("\n".join(lines) + "\n")


def test_kill_9_during_load_leaves_the_old_or_the_new_version(demo_copy, tmp_path):
    rng = random.Random(SEED)
    con = duckdb.connect(str(demo_copy), read_only=True)
    children = [r[0] for r in con.execute("SELECT child_id FROM children ORDER BY child_id LIMIT 500").fetchall()]
    con.close()
    outcomes = []
    full_run = None
    for run in range(RUNS + 1):
        before, _, _ = _state(demo_copy)
        csv = tmp_path / f"referrals_{run}.csv"
        _referrals_file(csv, run, children)
        # the first run is not killed: it times a whole load, and the kills fall anywhere in one (or just after)
        delay = 600.0 if full_run is None else rng.uniform(0.05, 1.1) * full_run
        started = time.monotonic()
        pid, killed = _kill_after(["load", "--table", "referrals", "--db", str(demo_copy), str(csv)], delay)
        elapsed = time.monotonic() - started
        after, _, aggregates = _state(demo_copy)
        assert after in (before, before + NEW_ROWS), (delay, before, after)
        assert aggregates > 0
        if full_run is None:
            full_run = elapsed
            assert not killed and after == before + NEW_ROWS
            continue
        outcomes.append((round(delay, 2), killed, "new" if after != before else "old"))
        _next_writer_cleans(demo_copy, pid)
    print(f"load (whole run {full_run:.1f} s) kills (delay s, killed, version):", outcomes)


def test_kill_9_during_demo_force_leaves_the_old_or_the_new_version(demo_copy, tmp_path):
    rng = random.Random(SEED + 1)
    with new_version(demo_copy) as con:
        con.execute("CREATE TABLE old_marker AS SELECT 1 AS x")
    full, _, full_aggregates = _state(demo_copy)
    outcomes = []
    full_run = None
    for _ in range(RUNS + 1):
        old = _state(demo_copy)
        delay = 600.0 if full_run is None else rng.uniform(0.05, 1.1) * full_run  # as for load: one whole run first
        started = time.monotonic()
        pid, killed = _kill_after(["demo", "--force", "--db", str(demo_copy)], delay)
        elapsed = time.monotonic() - started
        state = _state(demo_copy)
        assert state == old or state == (full, False, full_aggregates), (delay, old, state)
        _next_writer_cleans(demo_copy, pid)
        if full_run is None:
            full_run = elapsed
            assert not killed and state == (full, False, full_aggregates)
            with new_version(demo_copy) as con:  # mark the old version again
                con.execute("CREATE TABLE old_marker AS SELECT 1 AS x")
            continue
        outcomes.append((round(delay, 2), killed, "old" if state == old else "new"))
    print(f"demo --force (whole run {full_run:.1f} s) kills (delay s, killed, version):", outcomes)
