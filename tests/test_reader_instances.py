"""A reader of a newly published version takes a DuckDB instance made before it was needed."""

from __future__ import annotations

import time

from cscp_metrics.store import reader_instances


def test_each_reader_gets_its_own_instance_and_the_next_is_made_behind_it():
    first = reader_instances.fresh_instance("512MB")
    deadline = time.monotonic() + 10
    while "512MB" not in reader_instances._SPARE and time.monotonic() < deadline:
        time.sleep(0.01)
    spare = reader_instances._SPARE["512MB"]
    second = reader_instances.fresh_instance("512MB")
    assert second is spare and second is not first  # the one made in the background, never handed out twice
    first.execute("CREATE TABLE mine AS SELECT 1 AS a")
    assert second.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'mine'").fetchone() == (0,)
    limit = second.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert limit.replace(" ", "") in ("488.2MiB", "512.0MB", "512MB")  # DuckDB prints 512 MB in MiB
    other = reader_instances.fresh_instance("256MB")  # another limit: never a spare made for the first
    assert other.execute("SELECT current_setting('memory_limit')").fetchone()[0] != limit


def test_a_process_that_opened_readers_exits_cleanly(tmp_path):
    """An instance left open (or half made) at exit made DuckDB abort the process with a C++ 'terminate'."""
    import subprocess
    import sys

    import duckdb

    store = tmp_path / "tiny.duckdb"
    duckdb.connect(str(store)).execute("CREATE TABLE t AS SELECT 1 AS a").close()
    script = (
        "import sys; from cscp_metrics.store.publishing import open_reader\n"
        "readers = [open_reader(sys.argv[1]) for _ in range(3)]\n"
        "assert readers[0].execute('SELECT a FROM t').fetchone() == (1,)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(store)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "terminate" not in done.stderr, done.stderr
