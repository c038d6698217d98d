"""Remembered reads: within a scope each once; in a version's memo once for every reader of that version."""

from __future__ import annotations

import duckdb

from cscp_metrics import read_memo

CALLS: list[str] = []


@read_memo.remembered
def _answer(con: duckdb.DuckDBPyConnection, question: str) -> list[int]:
    CALLS.append(question)
    return [con.execute("SELECT 41 + 1").fetchone()[0]]


def test_a_versions_memo_answers_every_cursor_on_it_once_and_a_plain_scope_each_connection():
    CALLS.clear()
    con = duckdb.connect()
    kept = read_memo.VersionReads()
    cursors = [con.cursor() for _ in range(3)]  # kept alive: no cursor reuses another's identity
    with read_memo.scope(kept):
        assert _answer(cursors[0], "years") == [42]
    with read_memo.scope(kept):  # another figure of the same version, on its own cursor
        found = _answer(cursors[1], "years")
        found.append(0)  # a copy: the next reader gets the answer as read
        assert _answer(cursors[2], "years") == [42]
    assert CALLS == ["years"]
    with read_memo.scope(read_memo.VersionReads()):  # a new version: read again
        _answer(con.cursor(), "years")
    one, two = con.cursor(), con.cursor()
    with read_memo.scope():  # a build's scope: connections apart (they may be two stores)
        _answer(one, "years")
        _answer(two, "years")
    _answer(con, "years")  # outside a scope: every time
    assert CALLS == ["years"] * 5


def test_a_versions_memo_forgets_its_oldest_reads_beyond_its_size():
    CALLS.clear()
    con = duckdb.connect()
    kept = read_memo.VersionReads(max_entries=2)
    with read_memo.scope(kept):
        for question in ("a", "b", "c", "a", "c"):
            _answer(con, question)
    assert CALLS == ["a", "b", "c", "a"] and len(kept) == 2


def test_a_read_known_without_reading_is_answered_from_the_versions_memo():
    CALLS.clear()
    con = duckdb.connect()
    kept = read_memo.VersionReads()
    read_memo.remember(kept, _answer, con, "years", value=[2019])
    with read_memo.scope(kept):
        assert _answer(con.cursor(), "years") == [2019]  # any cursor on the version
        assert _answer(con.cursor(), "months") == [42]
    assert CALLS == ["months"]
