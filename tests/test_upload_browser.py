"""Uploading returns in the browser, logged in through a real OIDC provider: a good file is loaded and
published with who uploaded it; bad files and other agencies' rows are refused with nothing stored."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from test_browser import ARTIFACTS, CHROMIUM, _settle, _stop
from test_login_browser import PEOPLE, log_in, oidc, start_with_login  # noqa: F401

from cscp_metrics.records import members, returns_demo, workspace
from cscp_metrics.store import connection as store

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed"),
]

HEADER = "agency,measure_id,period_start,period_end,value\n"
GOOD = HEADER + "police,concordat_breaches,2020-04-01,2020-06-30,11\npolice,mace_young_people,2020-07-01,2020-09-30,3\n"
SCRIPT = "<script>alert(1)</script>"
BAD_ROWS = (
    HEADER
    + f"police,concordat_breaches,{SCRIPT},2020-06-30,11\npolice,lighthouse_referrals,2020-04-01,2020-03-01,abc\n"
)
SEMICOLONS = HEADER.replace(",", ";") + "police;concordat_breaches;2020-04-01;2020-06-30;11\n"
HEALTH_ROW = (
    HEADER + "police,concordat_breaches,2020-04-01,2020-06-30,11\nhealth,cp_conferences,2020-04-01,2020-06-30,40\n"
)


@pytest.fixture(scope="module")
def upload_server(demo_db, oidc, tmp_path_factory):  # noqa: F811
    folder = tmp_path_factory.mktemp("upload")
    db = folder / "store.duckdb"
    shutil.copy(demo_db, db)
    with workspace.opened(db) as records:
        for email, role in PEOPLE.items():
            members.add(records, email, role, by="test")
    returns_demo.seed(
        db
    )  # 2021-22 Q1 as of 16 August 2021: 9 received, CAMHS late, probation failed, public health missing
    proc, url = start_with_login(db, oidc, folder)
    yield url, db, folder
    _stop(proc)


def data_tables_hash(db: Path) -> str:
    con = store.connect(db, read_only=True)
    try:
        return store.content_hash(con)
    finally:
        con.close()


def last_load(db: Path) -> tuple:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT file_name, table_name, outcome, rows, loaded_by FROM loads ORDER BY load_id DESC LIMIT 1"
        ).fetchone()


def open_upload(page, url: str) -> None:
    page.goto(url + "/data")
    _settle(page, "Upload a return")


def send(page, path: Path, expect: str) -> None:
    """One file through the Data page's uploader (the page open: each file replaces the one before it)."""
    try:
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
        page.get_by_text(path.name).first.wait_for(timeout=30_000)
        page.get_by_role("button", name="Check and load").click()
        page.get_by_text(expect).first.wait_for(timeout=120_000)
    except Exception:
        page.screenshot(path=str(ARTIFACTS / f"upload_failed_{path.stem}.png"), full_page=True)
        raise
    _settle(page)


def test_agency_member_upload_refused_with_reasons_then_loaded(upload_server, browser, tmp_path):
    url, db, _ = upload_server
    page = log_in(browser, url, "pc@met.test")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    before = data_tables_hash(db)
    bad = tmp_path / "police_bad.csv"
    bad.write_text(BAD_ROWS)
    open_upload(page, url)
    send(page, bad, "Refused: nothing from the file was stored")
    page.screenshot(path=str(ARTIFACTS / "upload_refused.png"), full_page=True)
    assert data_tables_hash(db) == before
    assert last_load(db) == ("police_bad.csv", "partner_returns", "refused", 0, "pc@met.test")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the problems (CSV)").click()
    problems = Path(download.value.path()).read_text()
    assert f"police_bad.csv,1,period_start,is not an ISO date YYYY-MM-DD,{SCRIPT}" in problems
    assert "police_bad.csv,2,period_end,must be after period_start; period_start is 2020-04-01,2020-03-01" in problems
    assert "police_bad.csv,2,value,is not a number,abc" in problems
    assert dialogs == [] and page.locator("script", has_text="alert(1)").count() == 0  # the cell stayed text

    for name, content, words in [
        ("semicolons.csv", SEMICOLONS, "other than commas"),
        ("health_too.csv", HEALTH_ROW, "you can load only police's returns"),
    ]:
        path = tmp_path / name
        path.write_text(content)
        send(page, path, words)
        assert data_tables_hash(db) == before, name

    good = tmp_path / "police_q1q2.csv"
    good.write_text(GOOD)
    send(page, good, "2 rows added to partner_returns")
    assert page.get_by_text("Periods covered: 2020-21-Q1, 2020-21-Q2").count() == 1
    assert last_load(db) == ("police_q1q2.csv", "partner_returns", "loaded", 2, "pc@met.test")
    assert data_tables_hash(db) != before
    page.screenshot(path=str(ARTIFACTS / "upload_loaded.png"), full_page=True)


def test_analyst_uploads_a_council_table_recognised_from_its_header(upload_server, browser, tmp_path):
    url, db, _ = upload_server
    page = log_in(browser, url, "ana@cscp.test")
    path = tmp_path / "referrals_x.csv"
    path.write_text("child_id,referral_id,referral_date,source\nCX1,RX1,2020-05-04,police\nCX2,RX2,2020-11-30,school\n")
    open_upload(page, url)
    send(page, path, "2 rows added to referrals")
    assert page.get_by_text("Periods covered: 2020-21").count() == 1
    assert last_load(db) == ("referrals_x.csv", "referrals", "loaded", 2, "ana@cscp.test")


def test_agency_member_cannot_load_the_councils_tables_and_members_cannot_upload(upload_server, browser, tmp_path):
    url, db, _ = upload_server
    before = data_tables_hash(db)
    page = log_in(browser, url, "pc@met.test")
    path = tmp_path / "refs_pc.csv"
    path.write_text("child_id,referral_id,referral_date,source\nCP1,RP1,2020-05-04,police\n")
    open_upload(page, url)
    send(page, path, "you can upload partner_returns only; referrals is the council's table")
    assert data_tables_hash(db) == before
    member = log_in(browser, url, "mo@cscp.test")
    member.goto(url + "/data")
    _settle(member, "Return status")
    assert member.get_by_text("Upload a return").count() == 0
    assert member.get_by_text("As of 2021-08-16: 9 received, 1 late, 1 failed, 1 missing, 0 not yet due").count() == 1
    member.get_by_text("Return status").scroll_into_view_if_needed()
    member.screenshot(path=str(ARTIFACTS / "return_status.png"))
