"""App sessions are threads of one process: many opening the working records' DuckDB file at once must all get it
(two threads attaching one file at the same moment got DuckDB's 'unique file handle conflict', a traceback on a
page, in the browser test that opens every page at once)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from cscp_metrics.records import challenges, workspace


def test_sessions_opening_the_records_at_once_all_get_them(tmp_path, monkeypatch):
    monkeypatch.delenv("CSCP_WORKSPACE_URL", raising=False)
    store = tmp_path / "cscp.duckdb"

    def open_both(_: int) -> int:
        with workspace.opened(store):
            pass
        with challenges.reading(store) as log:
            return log.execute("SELECT count(*) FROM challenge_events").fetchone()[0]

    with ThreadPoolExecutor(max_workers=16) as pool:
        counts = list(pool.map(open_both, range(400)))
    assert counts == [0] * 400
