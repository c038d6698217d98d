"""Loader contract: every rule of referrals and missing_episodes refuses the file whole, naming file/row/column."""
from __future__ import annotations

import pandas as pd
import pytest

from cscp_metrics import store
from cscp_metrics.loading import load_file

REF_HEADER = "child_id,referral_id,referral_date,source\n"
GOOD_REFS = REF_HEADER + "C1,R1,2019-06-15,police\nC1,R2,2019-09-01,school\n"
MISS_HEADER = "child_id,episode_id,start_datetime,return_datetime,rhi_offered_datetime,rhi_completed,exploitation_risk\n"
GOOD_MISSING = MISS_HEADER + "C1,M1,2019-06-15T10:00,2019-06-16T09:00,2019-06-17T12:00,true,none\n"


def _snapshot(con):
    return store.content_hash(con)


def _refused(con, tmp_path, table, text, row, column, words, name="bad.csv"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    before = _snapshot(con)
    result = load_file(con, table, tmp_path / name)
    assert result.outcome == "refused"
    joined = "\n".join(result.messages)
    assert f"{name}: row {row}, column {column}:" in joined, joined
    assert words in joined, joined
    assert _snapshot(con) == before
    assert con.execute("SELECT outcome FROM loads ORDER BY load_id DESC LIMIT 1").fetchone()[0] == "refused"


@pytest.mark.parametrize("line,column,words", [
    (",R9,2019-06-15,police", "child_id", "is empty"),
    ("C9,R9,2019-6-15,police", "referral_date", "is not an ISO date"),
    ("C9,R9,2019-02-30,police", "referral_date", "is not an ISO date"),
    ("C9,R9,2999-01-01,police", "referral_date", "is in the future"),
    ("C9,R9,1999-12-31,police", "referral_date", "is before 2000-01-01"),
    ("C9,R9,2019-06-15,pigeon", "source", "is not one of"),
    ("C9,R1,2019-06-15,police", "referral_id", "was already loaded"),
])
def test_referral_rules(empty_store, tmp_path, line, column, words):
    (tmp_path / "good.csv").write_text(GOOD_REFS)
    assert load_file(empty_store, "referrals", tmp_path / "good.csv").outcome == "loaded"
    _refused(empty_store, tmp_path, "referrals", REF_HEADER + "C8,R8,2019-05-01,health\n" + line + "\n", 2, column, words)


def test_duplicate_within_file(empty_store, tmp_path):
    _refused(empty_store, tmp_path, "referrals", REF_HEADER + "C1,R1,2019-06-15,police\nC2,R1,2019-06-16,school\n",
             2, "referral_id", "duplicates row 1")


@pytest.mark.parametrize("line,column,words", [
    (",M9,2019-06-15T10:00,,,true,none", "child_id", "is empty"),
    ("C9,M9,yesterday,,,true,none", "start_datetime", "is not an ISO date-time"),
    ("C9,M9,2999-06-15T10:00,,,true,none", "start_datetime", "is in the future"),
    ("C9,M9,2019-06-15T10:00,2019-06-15T09:00,,true,none", "return_datetime", "must be after start_datetime"),
    ("C9,M9,2019-06-15T10:00,,,maybe,none", "rhi_completed", "must be true or false"),
    ("C9,M9,2019-06-15T10:00,,,true,gangs", "exploitation_risk", "is not one of none, cse, cce, both"),
    ("C9,M1,2019-06-15T10:00,,,true,none", "episode_id", "was already loaded"),
])
def test_missing_rules(empty_store, tmp_path, line, column, words):
    (tmp_path / "good.csv").write_text(GOOD_MISSING)
    assert load_file(empty_store, "missing_episodes", tmp_path / "good.csv").outcome == "loaded"
    _refused(empty_store, tmp_path, "missing_episodes",
             MISS_HEADER + "C2,M2,2019-07-01T08:00,,,false,cse\n" + line + "\n", 2, column, words)


def test_many_bad_rows_listed_up_to_twenty_then_counted(empty_store, tmp_path):
    rows = "".join(f",R{i},2019-06-15,police\n" for i in range(50))
    (tmp_path / "many.csv").write_text(REF_HEADER + rows)
    result = load_file(empty_store, "referrals", tmp_path / "many.csv")
    assert sum("column child_id" in m for m in result.messages) == 20
    assert any("30 more problems" in m for m in result.messages)


@pytest.mark.parametrize("content,words", [
    (b"", "the file is empty"),
    (REF_HEADER.encode(), "no data rows"),
    (b"child_id;referral_id;referral_date;source\nC1;R1;2019-06-15;police\n", "other than commas"),
    (REF_HEADER.encode() + b"C1,R1,2019-06-15,police\nC2,R2,2019-06", "fields where the header has 4"),
    (REF_HEADER.encode() + "C1,R1,2019-06-15,caf\xe9\n".encode("latin-1"), "not UTF-8"),
])
def test_unreadable_files_get_a_clear_message(empty_store, tmp_path, content, words):
    (tmp_path / "odd.csv").write_bytes(content)
    before = _snapshot(empty_store)
    result = load_file(empty_store, "referrals", tmp_path / "odd.csv")
    assert result.outcome == "refused"
    assert "odd.csv" in result.messages[0] and words in "\n".join(result.messages)
    assert _snapshot(empty_store) == before


def test_reload_is_a_no_op_and_extras_are_kept(empty_store, tmp_path):
    path = tmp_path / "refs.csv"
    path.write_text("child_id,referral_id,referral_date,source,note\nC1,R1,2019-06-15,police,=SUM(A1)\n"
                    "C2,R2,2019-06-16,school,<script>alert(1)</script>\n")
    assert load_file(empty_store, "referrals", path).outcome == "loaded"
    before = _snapshot(empty_store)
    again = load_file(empty_store, "referrals", path)
    assert again.outcome == "duplicate" and "nothing changed" in again.messages[0]
    assert _snapshot(empty_store) == before
    extras = [r[0] for r in empty_store.execute("SELECT extra->>'note' FROM referrals ORDER BY referral_id").fetchall()]
    assert extras == ["=SUM(A1)", "<script>alert(1)</script>"]


def test_xlsx_and_parquet_load(empty_store, tmp_path):
    frame = pd.DataFrame({"child_id": ["C1", "C2"], "referral_id": ["X1", "X2"],
                          "referral_date": pd.to_datetime(["2019-06-15", "2019-07-01"]), "source": ["police", "health"]})
    frame.to_excel(tmp_path / "refs.xlsx", index=False)
    frame.assign(referral_id=["P1", "P2"]).to_parquet(tmp_path / "refs.parquet")
    assert load_file(empty_store, "referrals", tmp_path / "refs.xlsx").outcome == "loaded"
    assert load_file(empty_store, "referrals", tmp_path / "refs.parquet").outcome == "loaded"
    assert empty_store.execute("SELECT count(*) FROM referrals WHERE referral_date = DATE '2019-06-15'").fetchone()[0] == 2


def test_newer_partner_return_supersedes_and_history_stays(empty_store, tmp_path):
    head = "agency,measure_id,period_start,period_end,value\n"
    (tmp_path / "a.csv").write_text(head + "police,concordat_breaches,2019-04-01,2020-03-31,30\n")
    (tmp_path / "b.csv").write_text(head + "police,concordat_breaches,2019-04-01,2020-03-31,32\n")
    for name in ("a.csv", "b.csv"):
        assert load_file(empty_store, "partner_returns", tmp_path / name).outcome == "loaded"
    assert empty_store.execute("SELECT value FROM partner_returns_current").fetchall() == [(32.0,)]
    assert empty_store.execute("SELECT count(*) FROM partner_returns").fetchone()[0] == 2


def test_store_from_previous_schema_is_upgraded_in_place(tmp_path):
    import duckdb

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    store.migrate(con, up_to=1)
    con.execute("INSERT INTO settings VALUES ('area_code', 'E09000007')")
    con.close()
    con = store.connect(path)
    assert store.schema_version(con) == store.latest_version()
    assert con.execute("SELECT value FROM settings").fetchone()[0] == "E09000007"
    assert con.execute("SELECT count(*) FROM missing_child_quarters").fetchone()[0] == 0  # a view from migration 3
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "challenge_events" not in tables  # migration 4 moved the challenge log to its own file
