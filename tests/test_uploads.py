"""Browser uploads without the browser: recognising the table, who may load what, the problems table."""

from __future__ import annotations

import duckdb
import pytest

from cscp_metrics.records import uploads, workspace
from cscp_metrics.records.members import Role, parse_role
from cscp_metrics.store import connection as store

HEADER = "agency,measure_id,period_start,period_end,value\n"


@pytest.mark.parametrize(
    "columns, table",
    [
        (
            ["child_id", "referral_id", "referral_date", "source", "rag"],
            "referrals",
        ),  # children's child_id too: most specific
        (["child_id"], "children"),
        (["agency", "measure_id", "period_start", "period_end", "value"], "partner_returns"),
        (["agency;measure_id;period_start;period_end;value"], None),
        (
            ["plan_id", "child_id", "start_date"],
            "children",
        ),  # cp_plans needs category too; child_id alone makes children
        (["plan_id", "enquiry_id", "assessment_id", "child_id", "start_date"], None),  # three tables fit equally
    ],
)
def test_table_recognised_from_the_header(columns, table):
    assert uploads.recognise_table(columns) == table


def test_who_may_load_what():
    police, analyst = parse_role("agency:police"), Role("analyst")
    assert uploads.permission_problem(analyst, "referrals", frozenset()) is None
    assert uploads.permission_problem(police, "partner_returns", frozenset({"police"})) is None
    assert "council's table" in uploads.permission_problem(police, "referrals", frozenset())
    assert "rows for health" in uploads.permission_problem(police, "partner_returns", frozenset({"police", "health"}))
    assert "only analysts and agency members" in uploads.permission_problem(
        Role("member"), "partner_returns", frozenset()
    )
    assert "only analysts and agency members" in uploads.permission_problem(None, "partner_returns", frozenset())


def test_loader_messages_become_table_rows_with_the_value_kept_as_text():
    messages = (
        "f.csv: row 3, column period_start: is not an ISO date YYYY-MM-DD (value '<script>alert(1)</script>')",
        "f.csv: row 4, column value: is not a number (value 'it's 3')",
        "f.csv: missing required column(s) value; found agency",
        "f.csv: refused whole; nothing from it was stored",
    )
    rows, notes = uploads.problems_of(messages, "f.csv")
    assert rows[0] == uploads.Problem(
        "f.csv", 3, "period_start", "is not an ISO date YYYY-MM-DD", "<script>alert(1)</script>"
    )
    assert rows[1].value == "it's 3" and rows[1].row == 4
    assert rows[2] == uploads.Problem("f.csv", None, "", "missing required column(s) value; found agency", "")
    assert notes == ("f.csv: refused whole; nothing from it was stored",)


@pytest.mark.parametrize(
    "name, safe",
    [
        ("../../etc/passwd", "passwd"),
        ("..", "upload"),
        ("C:\\Users\\me\\ret urn.csv", "ret urn.csv"),
        ("<b>x</b>.csv", "b_.csv"),
        ("a<b>*.csv", "a_b__.csv"),
        (".hidden.csv", "hidden.csv"),
    ],
)
def test_uploaded_file_names_are_reduced_to_plain_names(name, safe):
    assert uploads.safe_file_name(name) == safe


def test_upload_records_who_and_the_periods_and_a_refusal_stores_no_data(demo_copy, tmp_path):
    police = parse_role("agency:police")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "police,concordat_breaches,2021-01-01,2020-12-31,4\n")
    con = store.connect(demo_copy, read_only=True)
    before = store.content_hash(con)
    con.close()
    refused = uploads.upload(demo_copy, bad, "partner_returns", police, "pc@met.test")
    assert refused.outcome == "refused" and refused.problems[0].column == "period_end"
    good = tmp_path / "good.csv"
    good.write_text(
        HEADER
        + "police,concordat_breaches,2020-12-01,2020-12-31,4\npolice,concordat_breaches,2021-03-01,2021-03-31,2\n"
        "police,concordat_breaches,2021-04-01,2021-04-30,1\n"
    )
    loaded = uploads.upload(demo_copy, good, "partner_returns", police, "pc@met.test")
    # 1 Dec 2020 and 1 Mar 2021 fall in 2020-21 Q3 and Q4 (Oct-Dec, Jan-Mar); 1 Apr 2021 starts 2021-22 Q1
    assert loaded.outcome == "loaded" and loaded.rows == 3
    assert loaded.periods == ("2020-21-Q3", "2020-21-Q4", "2021-22-Q1")
    with duckdb.connect(str(demo_copy), read_only=True) as con:
        log = con.execute("SELECT file_name, outcome, loaded_by FROM loads ORDER BY load_id DESC LIMIT 2").fetchall()
        assert log == [("good.csv", "loaded", "pc@met.test"), ("bad.csv", "refused", "pc@met.test")]
        assert store.content_hash(con) != before
    denied = uploads.upload(demo_copy, good, "referrals", police, "pc@met.test")
    assert denied.outcome == "not allowed" and not denied.ok
    with workspace.opened(demo_copy) as records:  # attempts feed the return status: failed = last attempt refused
        attempts = records.rows(
            "SELECT agency, period_start, period_end, outcome, attempted_by FROM return_attempts ORDER BY attempt_id"
        )
    assert [(a["agency"], str(a["period_start"]), str(a["period_end"]), a["outcome"]) for a in attempts] == [
        ("police", "2021-01-01", "2020-12-31", "refused"),
        ("police", "2020-12-01", "2021-04-30", "loaded"),
    ]
