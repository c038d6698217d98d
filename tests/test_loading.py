"""Loader contract: every rule of referrals and missing_episodes refuses the file whole, naming file/row/column."""

from __future__ import annotations

import pandas as pd
import pytest

from cscp_metrics.store import connection as store
from cscp_metrics.store.loading import load_file

REF_HEADER = "child_id,referral_id,referral_date,source\n"
GOOD_REFS = REF_HEADER + "C1,R1,2019-06-15,police\nC1,R2,2019-09-01,school\n"
MISS_HEADER = (
    "child_id,episode_id,start_datetime,return_datetime,rhi_offered_datetime,rhi_completed,exploitation_risk\n"
)
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


@pytest.mark.parametrize(
    "line,column,words",
    [
        (",R9,2019-06-15,police", "child_id", "is empty"),
        ("C9,R9,2019-6-15,police", "referral_date", "is not an ISO date"),
        ("C9,R9,2019-02-30,police", "referral_date", "is not an ISO date"),
        ("C9,R9,2999-01-01,police", "referral_date", "is in the future"),
        ("C9,R9,1999-12-31,police", "referral_date", "is before 2000-01-01"),
        ("C9,R9,2019-06-15,pigeon", "source", "is not one of"),
        ("C9,R1,2019-06-15,police", "referral_id", "was already loaded"),
    ],
)
def test_referral_rules(empty_store, tmp_path, line, column, words):
    (tmp_path / "good.csv").write_text(GOOD_REFS)
    assert load_file(empty_store, "referrals", tmp_path / "good.csv").outcome == "loaded"
    _refused(
        empty_store, tmp_path, "referrals", REF_HEADER + "C8,R8,2019-05-01,health\n" + line + "\n", 2, column, words
    )


def test_duplicate_within_file(empty_store, tmp_path):
    _refused(
        empty_store,
        tmp_path,
        "referrals",
        REF_HEADER + "C1,R1,2019-06-15,police\nC2,R1,2019-06-16,school\n",
        2,
        "referral_id",
        "duplicates row 1",
    )


@pytest.mark.parametrize(
    "line,column,words",
    [
        (",M9,2019-06-15T10:00,,,true,none", "child_id", "is empty"),
        ("C9,M9,yesterday,,,true,none", "start_datetime", "is not an ISO date-time"),
        ("C9,M9,2999-06-15T10:00,,,true,none", "start_datetime", "is in the future"),
        ("C9,M9,2019-06-15T10:00,2019-06-15T09:00,,true,none", "return_datetime", "must be after start_datetime"),
        ("C9,M9,2019-06-15T10:00,,,maybe,none", "rhi_completed", "must be true or false"),
        ("C9,M9,2019-06-15T10:00,,,true,gangs", "exploitation_risk", "is not one of none, cse, cce, both"),
        ("C9,M1,2019-06-15T10:00,,,true,none", "episode_id", "was already loaded"),
    ],
)
def test_missing_rules(empty_store, tmp_path, line, column, words):
    (tmp_path / "good.csv").write_text(GOOD_MISSING)
    assert load_file(empty_store, "missing_episodes", tmp_path / "good.csv").outcome == "loaded"
    _refused(
        empty_store,
        tmp_path,
        "missing_episodes",
        MISS_HEADER + "C2,M2,2019-07-01T08:00,,,false,cse\n" + line + "\n",
        2,
        column,
        words,
    )


def test_many_bad_rows_listed_up_to_twenty_then_counted(empty_store, tmp_path):
    rows = "".join(f",R{i},2019-06-15,police\n" for i in range(50))
    (tmp_path / "many.csv").write_text(REF_HEADER + rows)
    result = load_file(empty_store, "referrals", tmp_path / "many.csv")
    assert sum("column child_id" in m for m in result.messages) == 20
    assert any("30 more problems" in m for m in result.messages)


@pytest.mark.parametrize(
    "content,words",
    [
        (b"", "the file is empty"),
        (REF_HEADER.encode(), "no data rows"),
        (b"child_id;referral_id;referral_date;source\nC1;R1;2019-06-15;police\n", "other than commas"),
        (REF_HEADER.encode() + b"C1,R1,2019-06-15,police\nC2,R2,2019-06", "fields where the header has 4"),
        (REF_HEADER.encode() + "C1,R1,2019-06-15,caf\xe9\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_unreadable_files_get_a_clear_message(empty_store, tmp_path, content, words):
    (tmp_path / "odd.csv").write_bytes(content)
    before = _snapshot(empty_store)
    result = load_file(empty_store, "referrals", tmp_path / "odd.csv")
    assert result.outcome == "refused"
    assert "odd.csv" in result.messages[0] and words in "\n".join(result.messages)
    assert _snapshot(empty_store) == before


def test_reload_is_a_no_op_and_extras_are_kept(empty_store, tmp_path):
    path = tmp_path / "refs.csv"
    path.write_text(
        "child_id,referral_id,referral_date,source,note\nC1,R1,2019-06-15,police,=SUM(A1)\n"
        "C2,R2,2019-06-16,school,<script>alert(1)</script>\n"
    )
    assert load_file(empty_store, "referrals", path).outcome == "loaded"
    before = _snapshot(empty_store)
    again = load_file(empty_store, "referrals", path)
    assert again.outcome == "duplicate" and "nothing changed" in again.messages[0]
    assert _snapshot(empty_store) == before
    extras = [r[0] for r in empty_store.execute("SELECT extra->>'note' FROM referrals ORDER BY referral_id").fetchall()]
    assert extras == ["=SUM(A1)", "<script>alert(1)</script>"]


@pytest.mark.parametrize("kind", ["csv", "xlsx", "parquet"])
def test_a_tables_own_columns_are_checked_and_stored_trimmed_and_extras_as_the_file_has_them(
    empty_store, tmp_path, kind
):
    frame = pd.DataFrame(
        {
            "child_id": ["  C1 ", "C2"],
            "referral_id": [" R1", "R2  "],
            "referral_date": ["2019-06-15  ", " 2019-07-01"],
            "source": [" police ", "school"],
            "note": ["  kept as it is ", ""],
        }
    )
    path = tmp_path / f"padded.{kind}"
    {
        "csv": lambda: frame.to_csv(path, index=False),
        "xlsx": lambda: frame.to_excel(path, index=False),
        "parquet": lambda: frame.to_parquet(path),
    }[kind]()
    assert load_file(empty_store, "referrals", path).outcome == "loaded"
    rows = empty_store.execute(
        "SELECT child_id, referral_id, referral_date::VARCHAR, source, extra->>'note' FROM referrals ORDER BY 2"
    ).fetchall()
    assert rows[0] == ("C1", "R1", "2019-06-15", "police", "  kept as it is ")
    assert rows[1][:4] == ("C2", "R2", "2019-07-01", "school")
    # a padded id is the same id: the second file's ' r1 ' is refused as loaded before, named as the file wrote it
    again = tmp_path / "again.csv"
    again.write_text(REF_HEADER + "C3, r1 ,2019-08-01,police\n")
    _refused_file(empty_store, again, "referrals", "row 1, column referral_id: was already loaded", "(value 'r1'")


def test_a_control_character_is_placed_in_the_value_as_checked(empty_store, tmp_path):
    path = tmp_path / "ctl.csv"
    path.write_bytes(REF_HEADER.encode() + b"  C\x01,R1,2019-06-15,police\n")
    _refused_file(
        empty_store, path, "referrals", "column child_id: contains a control character (U+0001) at character 2"
    )


def test_xlsx_and_parquet_load(empty_store, tmp_path):
    frame = pd.DataFrame(
        {
            "child_id": ["C1", "C2"],
            "referral_id": ["X1", "X2"],
            "referral_date": pd.to_datetime(["2019-06-15", "2019-07-01"]),
            "source": ["police", "health"],
        }
    )
    frame.to_excel(tmp_path / "refs.xlsx", index=False)
    frame.assign(referral_id=["P1", "P2"]).to_parquet(tmp_path / "refs.parquet")
    assert load_file(empty_store, "referrals", tmp_path / "refs.xlsx").outcome == "loaded"
    assert load_file(empty_store, "referrals", tmp_path / "refs.parquet").outcome == "loaded"
    assert (
        empty_store.execute("SELECT count(*) FROM referrals WHERE referral_date = DATE '2019-06-15'").fetchone()[0] == 2
    )


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


# --- issue 11: hostile headers, tracebacks, rules that let bad values through, misleading messages ---

INJECTION = "z', 1) FROM __staging; DELETE FROM children; --"
ODD_BUT_PLAIN = "x); DELETE FROM children; -- <b>note</b>"  # no quote character: a legal (if odd) column name


def _with_children(con, tmp_path):
    (tmp_path / "children.csv").write_text("child_id,ward\nC1,Camden Town\nC2,Highgate\nC3,Kilburn\n")
    assert load_file(con, "children", tmp_path / "children.csv").outcome == "loaded"


def _write(kind, path, frame):
    if kind == "csv":
        frame.to_csv(path, index=False)
    elif kind == "xlsx":
        frame.to_excel(path, index=False)
    else:
        frame.to_parquet(path, index=False)


def _refs_frame(extra_name):
    return pd.DataFrame(
        {
            "child_id": ["C1"],
            "referral_id": ["R1"],
            "referral_date": ["2019-06-15"],
            "source": ["police"],
            extra_name: ["hello"],
        }
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx", "parquet"])
def test_header_injection_is_refused_and_the_store_is_untouched(empty_store, tmp_path, kind):
    _with_children(empty_store, tmp_path)
    path = tmp_path / f"hostile.{kind}"
    _write(kind, path, _refs_frame(INJECTION))
    before, loads = _snapshot(empty_store), empty_store.execute("SELECT count(*) FROM loads").fetchone()[0]
    result = load_file(empty_store, "referrals", path)
    assert result.outcome == "refused"
    assert f"hostile.{kind}: column 5 of the header" in result.messages[0] and "quote character" in result.messages[0]
    assert empty_store.execute("SELECT count(*) FROM children").fetchone()[0] == 3
    assert empty_store.execute("SELECT count(*) FROM referrals").fetchone()[0] == 0
    assert _snapshot(empty_store) == before
    assert empty_store.execute("SELECT count(*), max_by(outcome, load_id) FROM loads").fetchone() == (
        loads + 1,
        "refused",
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx", "parquet"])
def test_an_odd_extra_column_name_is_kept_exactly_as_a_json_key(empty_store, tmp_path, kind):
    _with_children(empty_store, tmp_path)
    _write(kind, tmp_path / f"odd.{kind}", _refs_frame(ODD_BUT_PLAIN))
    assert load_file(empty_store, "referrals", tmp_path / f"odd.{kind}").outcome == "loaded"
    assert empty_store.execute("SELECT count(*) FROM children").fetchone()[0] == 3
    keys, value = empty_store.execute("SELECT json_keys(extra), extra->>? FROM referrals", [ODD_BUT_PLAIN]).fetchone()
    assert keys == [ODD_BUT_PLAIN] and value == "hello"


def _refused_file(con, path, table, *words):
    before, loads = _snapshot(con), con.execute("SELECT count(*) FROM loads").fetchone()[0]
    result = load_file(con, table, path)
    joined = "\n".join(result.messages)
    assert result.outcome == "refused", joined
    assert joined.startswith(f"{path.name}: "), joined
    for w in words:
        assert w in joined, joined
    assert _snapshot(con) == before
    assert con.execute("SELECT count(*), max_by(outcome, load_id) FROM loads").fetchone() == (loads + 1, "refused")
    return joined


@pytest.mark.parametrize(
    "content,words",
    [
        (
            b"child_id,referral_id,referral_date,source,o'brien\nC1,R1,2019-06-15,police,x\n",
            ("column 5", "quote character"),
        ),
        (
            b"child_id,,referral_id,referral_date,source\nC1,x,R1,2019-06-15,police\n",
            ("column 2 of the header has no name",),
        ),
        (
            b"child_id,referral_id,referral_date,source,\nC1,R1,2019-06-15,police,\n",
            ("column 5", "comma at the end of every line"),
        ),
        (b"child_id,referral_id,referral_date,source\rC1,R1,2019-06-15,police\r", ("carriage return only",)),
        (b"child_id," + b"x" * 140_000 + b"\nC1,1\n", ("longer than 128 KB",)),
        (
            b"child_id,referral_id,referral_date,source,extra\x01\nC1,R1,2019-06-15,police,x\n",
            ("column 5", "control character"),
        ),
    ],
    ids=["apostrophe", "empty-name", "trailing-comma", "cr-only", "header-140kb", "control-char"],
)
def test_awkward_headers_are_refused_with_a_message_not_a_traceback(empty_store, tmp_path, content, words):
    (tmp_path / "odd.csv").write_bytes(content)
    _refused_file(empty_store, tmp_path / "odd.csv", "referrals", *words)


def test_a_folder_or_a_parquet_name_with_a_double_quote_is_refused_clearly(empty_store, tmp_path):
    (tmp_path / "folder.csv").mkdir()
    _refused_file(empty_store, tmp_path / "folder.csv", "referrals", "is a folder, not a file")
    _refs_frame('say "hi"').to_parquet(tmp_path / "quoted.parquet")
    _refused_file(empty_store, tmp_path / "quoted.parquet", "referrals", "column 5", "quote character")


def test_cli_refusal_exits_non_zero_without_a_traceback(tmp_path):
    from typer.testing import CliRunner

    from cscp_metrics.cli.main import app

    (tmp_path / "folder.csv").mkdir()
    (tmp_path / "o.csv").write_bytes(b"child_id,referral_id,referral_date,source,o'brien\nC1,R1,2019-06-15,police,x\n")
    result = CliRunner().invoke(
        app,
        [
            "load",
            "--create",
            "--table",
            "referrals",
            "--db",
            str(tmp_path / "s.duckdb"),
            str(tmp_path / "folder.csv"),
            str(tmp_path / "o.csv"),
        ],
    )
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "folder.csv: is a folder" in result.output and "o.csv: column 5 of the header" in result.output


CARE_HEADER = "child_id,year_ending,age,activity\n"
PARTNER_HEADER = "agency,measure_id,period_start,period_end,value\n"
ASSESS_HEADER = "assessment_id,child_id,start_date,completed_date,working_days\n"


@pytest.mark.parametrize(
    "table,header,good,bad,column,words",
    [
        (
            "referrals",
            REF_HEADER,
            "C8,R8,2019-05-01,health",
            "C0\x004,R9,2019-06-15,police",
            "child_id",
            "control character (U+0000)",
        ),
        (
            "referrals",
            REF_HEADER,
            "C8,R8,2019-05-01,health",
            'C04"5060,R9,2019-06-15,police',
            "child_id",
            "is not an id",
        ),
        (
            "referrals",
            REF_HEADER,
            "C8,R8,2019-05-01,health",
            "C9,R8 1,2019-06-15,police",
            "referral_id",
            "is not an id",
        ),
        ("care_leavers", CARE_HEADER, "C1,2020-03-31,16,eet", "C2,2020-03-31,15.6,eet", "age", "is not a whole number"),
        ("care_leavers", CARE_HEADER, "C1,2020-03-31,16,eet", "C2,2020-03-31,0x10,eet", "age", "is not a whole number"),
        ("care_leavers", CARE_HEADER, "C1,2020-03-31,16,eet", "C2,2020-03-31,1_7,eet", "age", "is not a whole number"),
        (
            "care_leavers",
            CARE_HEADER,
            "C1,2020-03-31,16,eet",
            "C2,2020-03-31,99999999999,eet",
            "age",
            "is not a whole number",
        ),
        (
            "care_leavers",
            CARE_HEADER,
            "C1,2020-03-31,16,eet",
            "C2,2098-03-31,17,eet",
            "year_ending",
            "is in the future",
        ),
        (
            "assessments",
            ASSESS_HEADER,
            "A1,C1,2019-06-01,2019-06-01,0",
            "A2,C1,2019-06-01,2019-07-01,2.5",
            "working_days",
            "is not a whole number",
        ),
        (
            "assessments",
            ASSESS_HEADER,
            "A1,C1,2019-06-01,2019-06-01,0",
            "A2,C1,2019-06-10,2019-06-01,3",
            "completed_date",
            "is before start_date",
        ),
        (
            "partner_returns",
            PARTNER_HEADER,
            "police,concordat_breaches,2019-04-01,2020-03-31,30",
            "police,concordat_breaches,2018-04-01,2019-03-31,NaN",
            "value",
            "is not a number",
        ),
        (
            "partner_returns",
            PARTNER_HEADER,
            "police,concordat_breaches,2019-04-01,2020-03-31,30",
            "police,concordat_breaches,2018-04-01,2019-03-31,inf",
            "value",
            "is not a number",
        ),
        (
            "partner_returns",
            PARTNER_HEADER,
            "police,concordat_breaches,2019-04-01,2020-03-31,30",
            "police,concordat_breaches,2018-04-01,2019-03-31,1e400",
            "value",
            "is too large",
        ),
        (
            "partner_returns",
            PARTNER_HEADER,
            "police,concordat_breaches,2019-04-01,2020-03-31,30",
            "police,concordat_breaches,2018-04-01,2019-03-31,-5",
            "value",
            "is below the minimum 0",
        ),
        (
            "partner_returns",
            PARTNER_HEADER,
            "police,concordat_breaches,2019-04-01,2020-03-31,30",
            "police,concordat_breaches,2098-04-01,2099-03-31,5",
            "period_start",
            "is in the future",
        ),
        (
            "partner_returns",
            PARTNER_HEADER,
            "police,concordat_breaches,2019-04-01,2020-03-31,30",
            "police,concordat_breeches,2018-04-01,2019-03-31,5",
            "measure_id",
            "is not one of the 81 codes",
        ),
        (
            "partner_returns",
            PARTNER_HEADER,
            "police,concordat_breaches,2019-04-01,2020-03-31,30",
            "pigeons,concordat_breaches,2018-04-01,2019-03-31,5",
            "agency",
            "is not one of police, health",
        ),
        ("children", "child_id,birth_month\n", "C1,2005-06-01", "C2,1800-01-01", "birth_month", "is before 1975-01-01"),
        (
            "referrals",
            REF_HEADER,
            "C8,R8,2019-05-01,health",
            "C9,r8,2019-06-15,police",
            "referral_id",
            "duplicates row 1 apart from upper/lower case",
        ),
    ],
    ids=[
        "nul-in-id",
        "quote-in-id",
        "space-in-id",
        "age-15.6",
        "age-0x10",
        "age-1_7",
        "age-overflow",
        "year-2098",
        "days-2.5",
        "completed-before-start",
        "value-nan",
        "value-inf",
        "value-1e400",
        "value-minus-5",
        "return-2098",
        "unknown-measure",
        "unknown-agency",
        "birth-1800",
        "id-case-twin",
    ],
)
def test_values_that_used_to_be_accepted_are_refused(empty_store, tmp_path, table, header, good, bad, column, words):
    _refused(empty_store, tmp_path, table, header + good + "\n" + bad + "\n", 2, column, words)


def test_ids_differing_only_by_case_from_an_earlier_load_are_refused(empty_store, tmp_path):
    (tmp_path / "good.csv").write_text(GOOD_REFS)
    assert load_file(empty_store, "referrals", tmp_path / "good.csv").outcome == "loaded"
    _refused(
        empty_store,
        tmp_path,
        "referrals",
        REF_HEADER + "C8,R8,2019-05-01,health\nC9,r2,2019-06-15,police\n",
        2,
        "referral_id",
        "ids that differ only in upper/lower case are the same id",
    )


def test_whole_numbers_written_as_floats_and_same_day_completion_are_accepted(empty_store, tmp_path):
    (tmp_path / "cl.csv").write_text(CARE_HEADER + "C1,2020-03-31,16.0,eet\nC2,2020-03-31,+17,neet\n")
    assert load_file(empty_store, "care_leavers", tmp_path / "cl.csv").outcome == "loaded"
    assert empty_store.execute("SELECT list(age ORDER BY child_id) FROM care_leavers").fetchone()[0] == [16, 17]
    (tmp_path / "a.csv").write_text(ASSESS_HEADER + "A1,C1,2019-06-01,2019-06-01,0\n")
    assert load_file(empty_store, "assessments", tmp_path / "a.csv").outcome == "loaded"


REF_ROWS = b"".join(b"C%d,R%d,2019-06-15,police\n" % (i, i) for i in range(1, 9))


@pytest.mark.parametrize(
    "content,words",
    [
        (
            REF_HEADER.encode() + REF_ROWS + b'C9,R9,2019-06-15,"' + b"x" * 3_000_000 + b'"\n',
            ("row 9 is 3.0 MB long", "over the 2 MB limit"),
        ),
        (b"\xef\xbb\xbf\xef\xbb\xbf" + REF_HEADER.encode() + REF_ROWS, ("two byte-order marks",)),
        (b"child_id,referral\x00_id,referral_date,source\n" + REF_ROWS, ("header row contains a NUL byte",)),
        (("\ufeff" + REF_HEADER + "C1,R1,2019-06-15,police\n").encode("utf-16-le"), ("UTF-16",)),
        ((REF_HEADER + "C1,R1,2019-06-15,police\n").encode("utf-16-be"), ("UTF-16",)),
        (b"\x00" * 4096, ("only NUL bytes",)),
        (
            REF_HEADER.replace("\n", "\r\n").encode() + b"C1,R1,2019-06-15,police\r\nC2,R2,2019-06-15,police\n"
            b"C3,R3,2019-06-15,police\r\n",
            ("line 3 ends with Unix (LF) where line 1 ends with Windows (CRLF)",),
        ),
    ],
    ids=["3mb-field", "double-bom", "nul-in-header", "utf16le", "utf16be-no-bom", "all-nul", "mixed-crlf-lf"],
)
def test_messages_say_what_is_actually_wrong(empty_store, tmp_path, content, words):
    (tmp_path / "odd.csv").write_bytes(content)
    joined = _refused_file(empty_store, tmp_path / "odd.csv", "referrals", *words)
    assert "missing required column" not in joined and "unterminated" not in joined and "no data rows" not in joined


# Every name formatted into SQL text passed to execute(): reviewed, and none comes from a file, a user or a URL
# (contracts, the registry, constants, the store's own schema, or SQL built from those). A new one fails this
# test until it is either bound as a parameter, quoted with cscp_metrics.sql_quoting, or reviewed and added here.
REVIEWED_SQL_NAMES = {
    "cscp_metrics/store/aggregates.py": {
        "date",
        "table",
        "case_b",
        "case_dim",
        "measure.agg",
        "measure.filter or 'true'",
        "measure.id",
        "on",
        "sets",
        "table.name",
    },
    "cscp_metrics/indicators/engine.py": {"', '.join('?' * len(codes)) or 'NULL'"},
    "cscp_metrics/scrutiny/league.py": {"_LA_ROWS"},
    "cscp_metrics/store/council_init.py": {"table"},
    "cscp_metrics/records/uploads.py": {
        "label",
        "table",
        "date_column",
        "STAGING",
        "col['agency']",
    },  # staged c0, c1…; contract names                       # from the store's information_schema
    "cscp_metrics/records/history.py": {
        "table.name",
        "table.key",
        "table.sequence",
        "', '.join(columns)",
        "', ?' * len(columns)",
        "column",
    },  # the fixed TABLES map; columns checked
    "cscp_metrics/indicators/registry_sql.py": {"sql"},  # engine.measure_sql: registry names, drill values bound
    "cscp_metrics/records/challenges.py": {"', '.join('?' * len(rows[0]))"},  # placeholders only
    "cscp_metrics/store/connection.py": {"number", "', '.join(columns[table])"},  # an int; each identifier() quoted
    "cscp_metrics/store/benchmarks.py": {
        "'false' if source.denominator is None else 'd.v IS NULL'",
        "ONS_VINTAGE",
        "_AREA",
        "den",
        "model",
        "name",
        "num",
        "ons",
        "pub",
        "rank",
        "source.file",
        "source.indicator_id",
        "symbols",
        "table",
        "value",
        "vintage",
        "where",
    },
    "cscp_metrics/bench/run.py": {"t", "table"},
    "cscp_metrics/ready/batch_inputs.py": {"', '.join('?' * len(codes)) or 'NULL'"},  # placeholders only
    "cscp_metrics/ready/publish.py": {"part"},  # the fixed PARTS
    "cscp_metrics/bench/synth.py": {"_sql(table, n, las)"},
    "cscp_metrics/bench/baselines.py": {"t"},
    "cscp_metrics/store/file_reading.py": {"STAGING", "staged"},  # staged_column names, positions, no header text
    "cscp_metrics/store/loading.py": {"STAGING", "select"},
    "cscp_metrics/store/validation.py": {"STAGING", "col", "union", "everything"},
}
SQL_METHODS = ("execute", "executemany", "sql", "query", "scalar", "rows", "row")  # connections, records
QUOTING_CALLS = ("identifier(", "literal(", "staged_column(", "', '.join((identifier(")


def _formatted_into(sql, nested=False):
    """The expressions an SQL argument formats in: f-string fields, operands of + and arguments of .format(), and
    those of each part joined by str.join().
    A bare variable passed to execute() is not followed (its f-string is checked where it is built, if there)."""
    import ast

    if isinstance(sql, ast.JoinedStr):
        return [ast.unparse(p.value) for p in sql.values if isinstance(p, ast.FormattedValue)]
    if isinstance(sql, ast.BinOp):
        return _formatted_into(sql.left, True) + _formatted_into(sql.right, True)
    if isinstance(sql, ast.IfExp):
        return _formatted_into(sql.body, nested) + _formatted_into(sql.orelse, nested)
    if isinstance(sql, ast.Call) and getattr(sql.func, "attr", "") == "join" and sql.args:
        parts = sql.args[0]  # " UNION ALL ".join(f"... {t} ..." for t in tables): each part as an argument
        if isinstance(parts, ast.GeneratorExp | ast.ListComp):
            return _formatted_into(parts.elt, nested)
    if isinstance(sql, ast.Call) and getattr(sql.func, "attr", "") == "format":
        return [ast.unparse(a) for a in [*sql.args, *(k.value for k in sql.keywords)]]
    return [ast.unparse(sql)] if nested and not isinstance(sql, ast.Constant) else []


def test_no_unreviewed_name_is_formatted_into_sql():
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    files = [p for d in ("cscp_metrics", "cscp_ui", "pages") for p in (root / d).rglob("*.py")] + [root / "app.py"]
    unreviewed, seen = [], set()
    for path in files:
        rel = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Attribute) and node.func.attr in SQL_METHODS and node.args:
                sql = node.args[0]
            elif isinstance(node.func, ast.Name) and node.func.id == "scalar" and len(node.args) > 1:
                sql = node.args[1]  # statements.scalar(con, sql, params)
            else:
                continue
            for text in _formatted_into(sql):
                seen.add((rel, text))
                if not text.startswith(QUOTING_CALLS) and text not in REVIEWED_SQL_NAMES.get(rel, ()):
                    unreviewed.append(f"{rel}:{node.lineno}: {{{text}}}")
    assert not unreviewed, "\n".join(unreviewed)
    # a review is of code that is there: an entry no SQL formats any more is dropped, not left to excuse new code
    stale = [(rel, text) for rel, texts in REVIEWED_SQL_NAMES.items() for text in texts if (rel, text) not in seen]
    assert not stale, stale
