"""kill -9 at random moments of `cscp load`, `cscp demo --force`, `cscp init --la` and a browser upload of a return:
the store always opens, holding the old version or the new one, never neither and never half; the next writer
removes what the dead one left beside the store.

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
from cli_process import CLI, WITHOUT_READY

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


# the commands run without computing the ready figures (tests/cli_process.py): the kills then fall in the writing of
# the store itself (a build's ready figures are another minute inside the same draft)


def _kill_after(command: list[str], delay: float) -> tuple[int, bool]:
    """Run, and kill -9 after `delay` seconds unless it has finished; the pid and whether it was killed."""
    proc = subprocess.Popen([*CLI, *command], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    killed = proc.poll() is None
    if killed:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return proc.pid, killed


INIT = [*CLI, "init"]
UPLOAD = [
    sys.executable,
    "-c",
    "import sys; from pathlib import Path; from cscp_metrics.records.members import Role; "
    "from cscp_metrics.records.uploads import upload; " + WITHOUT_READY + "upload(sys.argv[1], Path(sys.argv[2]), "
    "'partner_returns', Role('agency', 'police'), 'pc@met.test')",
]


def _kill_in_draft(argv: list[str], path: Path, after: float) -> tuple[int, bool, float]:
    """Run; once its draft beside the store exists, kill -9 `after` seconds later unless it has finished. The pid,
    whether it was killed, and the seconds from the draft appearing to the end (the window a kill can hit)."""
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while proc.poll() is None and not _drafts_of(path, proc.pid):
        time.sleep(0.005)
    drafted = time.monotonic()
    while proc.poll() is None and time.monotonic() - drafted < after:
        time.sleep(0.01)
    killed = proc.poll() is None
    if killed:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return proc.pid, killed, time.monotonic() - drafted


def _mark_old(path: Path) -> None:
    with new_version(path) as con:
        con.execute("CREATE TABLE IF NOT EXISTS old_marker AS SELECT 1 AS x")


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


def _council(path: Path) -> tuple[str, bool, int]:
    """The store's council, whether the old version's marker is there, and how many DfE figures it holds."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        code = con.execute("SELECT value FROM settings WHERE key = 'area_code'").fetchone()[0]
        marked = con.execute(
            "SELECT count(*) = 1 FROM information_schema.tables WHERE table_name = 'old_marker'"
        ).fetchone()[0]
        figures = con.execute("SELECT count(*) FROM benchmarks").fetchone()[0]
        return code, marked, figures
    finally:
        con.close()


def test_kill_9_during_init_leaves_the_old_or_the_new_council(demo_copy):
    """Camden's demo store replaced by Kent's: each kill leaves Camden (or the marked Kent) or the new Kent."""
    rng = random.Random(SEED + 2)
    command = [*INIT, "--la", "E10000016", "--force", "--db", str(demo_copy)]
    pid, killed, window = _kill_in_draft(command, demo_copy, 600.0)  # one whole run: how long a kill can hit
    new = _council(demo_copy)
    assert not killed and new[:2] == ("E10000016", False) and new[2] > 10_000
    outcomes = []
    for _ in range(RUNS):
        _mark_old(demo_copy)
        old = _council(demo_copy)
        pid, killed, _ = _kill_in_draft(command, demo_copy, rng.uniform(0.0, 1.1) * window)
        state = _council(demo_copy)
        assert state in (old, new), (old, state)
        outcomes.append((killed, "old" if state == old else "new", len(_drafts_of(demo_copy, pid))))
        _next_writer_cleans(demo_copy, pid)
    print(f"init (draft open {window:.2f} s) kills (killed, version, draft files left):", outcomes)


def _returns(path: Path) -> tuple[int, int]:
    """Partner returns and the aggregates (the working records beside the store must open too)."""
    from cscp_metrics.records import workspace

    with workspace.opened(path) as records:
        records.rows("SELECT count(*) AS n FROM return_attempts")
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute("SELECT count(*) FROM partner_returns").fetchone()[0]
        aggregates = con.execute("SELECT count(*) FROM measure_aggregates").fetchone()[0]
        return rows, aggregates
    finally:
        con.close()


def test_kill_9_during_an_upload_leaves_the_old_or_the_new_version(demo_copy, tmp_path):
    """The Data page's upload path (records.uploads.upload, as the app calls it) for a police return."""
    rng = random.Random(SEED + 3)
    outcomes = []
    window = None
    for run in range(RUNS + 1):
        old = _returns(demo_copy)
        csv = tmp_path / f"police_{run}.csv"  # a month of its own each run: never a duplicate of a published one
        csv.write_text(
            "agency,measure_id,period_start,period_end,value\n"
            f"police,concordat_breaches,2021-{run + 5:02d}-01,2021-{run + 5:02d}-28,{run + 2}\n"
        )
        after = 600.0 if window is None else rng.uniform(0.0, 1.1) * window  # one whole run first, as above
        pid, killed, drafted = _kill_in_draft([*UPLOAD, str(demo_copy), str(csv)], demo_copy, after)
        state = _returns(demo_copy)
        assert state == old or (state[0] == old[0] + 1 and state[1] > 0), (old, state)  # one new row
        left = len(_drafts_of(demo_copy, pid))
        _next_writer_cleans(demo_copy, pid)
        if window is None:
            window = drafted
            assert not killed and state[0] == old[0] + 1
            continue
        outcomes.append((killed, "old" if state == old else "new", left))
    print(f"upload (draft open {window:.2f} s) kills (killed, version, draft files left):", outcomes)
