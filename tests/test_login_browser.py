"""Login end to end: Streamlit's st.login against a real OIDC provider on localhost (oidc-provider-mock),
in Debian's headless chromium. Members and roles come from the working records beside the store."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from oidc_login import log_in, running_provider, start_with_login
from test_browser import ARTIFACTS, CHROMIUM, _settle, _start, _stop, context, new_tab  # noqa: F401

from cscp_metrics.records import members, workspace
from cscp_metrics.store import templates

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed"),
]

SMALL = "Fathers completing Caring Dads"  # 2 fathers in 2019-20: 'c' in the public view
PEOPLE = {
    "ana@cscp.test": "analyst",
    "mo@cscp.test": "member",
    "pc@met.test": "agency:police",
    "eve@cscp.test": "member",
}
UNVERIFIED = {"eve@cscp.test"}
NON_MEMBER = "nina@elsewhere.test"


@pytest.fixture(scope="module")
def oidc():
    with running_provider({email: email not in UNVERIFIED for email in [*PEOPLE, NON_MEMBER]}) as issuer:
        yield issuer


@pytest.fixture(scope="module")
def login_store(demo_db, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("login") / "store.duckdb"
    shutil.copy(demo_db, target)
    with workspace.opened(target) as records:
        for email, role in PEOPLE.items():
            members.add(records, email, role, by="test")
    return target


@pytest.fixture(scope="module")
def login_server(login_store, oidc, tmp_path_factory):
    proc, url = start_with_login(login_store, oidc, tmp_path_factory.mktemp("secrets"))
    yield url
    _stop(proc)


def small_tile(page, url: str, query: str = "") -> str:
    page.goto(f"{url}/domestic-abuse?year=2019-20{query}")
    _settle(page, SMALL)
    return (
        page.locator('[data-testid="stMetric"]')
        .filter(has_text=SMALL)
        .locator('[data-testid="stMetricValue"]')
        .inner_text()
        .strip()
    )


def partnership_choice(page):
    return page.locator('[data-testid="stSidebar"]').get_by_text("Partnership (true values)")


def test_anonymous_visitor_gets_the_public_view_whatever_the_url_says(login_server, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    assert small_tile(page, login_server, "&view=partnership") == "c"
    assert partnership_choice(page).count() == 0
    assert page.get_by_role("button", name="Log in").count() == 1
    assert "view=partnership" not in page.url
    page.screenshot(path=str(ARTIFACTS / "login_anonymous_forged_view.png"))
    page.goto(login_server + "/data")
    _settle(page, "Every load")
    assert page.get_by_text("Login is not configured").count() == 0
    assert page.get_by_text("Upload a return").count() == 0 and page.get_by_text("Return status").count() == 0
    with page.expect_download() as download:  # templates hold no data: anyone may take one
        page.get_by_role("button", name="Download the assessments template (XLSX)").click()
    assert Path(download.value.path()).read_bytes() == templates.workbook("assessments")


def test_logged_in_non_member_sees_the_public_view_and_whom_to_ask(login_server, browser):
    page = log_in(browser, login_server, NON_MEMBER)
    assert small_tile(page, login_server, "&view=partnership") == "c"
    assert partnership_choice(page).count() == 0
    note = page.locator('[data-testid="stSidebar"]').get_by_text("not a member of the partnership workspace")
    assert note.count() == 1 and "ask: ana@cscp.test" in note.inner_text()
    page.screenshot(path=str(ARTIFACTS / "login_non_member.png"))


def test_member_sees_true_values_by_the_radio_and_by_a_link_until_logging_out(login_server, browser):
    page = log_in(browser, login_server, "mo@cscp.test")
    assert small_tile(page, login_server) == "c"  # public until chosen
    partnership_choice(page).click()
    page.locator('[data-testid="stMetric"]').filter(has_text=SMALL).get_by_text("2", exact=True).wait_for(
        timeout=30_000
    )
    assert small_tile(page, login_server, "&view=partnership") == "2"
    assert page.locator('[data-testid="stSidebar"]').get_by_text("Logged in as mo@cscp.test (member)").count() == 1
    page.screenshot(path=str(ARTIFACTS / "login_member_partnership.png"))
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("button", name="End session").click()  # the provider's end-session page (RP-initiated logout)
    page.get_by_role("button", name="Log in").wait_for(timeout=60_000)
    _settle(page)
    assert small_tile(page, login_server, "&view=partnership") == "c"
    assert partnership_choice(page).count() == 0


@pytest.mark.parametrize("email, label", [("ana@cscp.test", "analyst"), ("pc@met.test", "member for police")])
def test_analyst_and_agency_member_see_true_values(login_server, browser, email, label):
    page = log_in(browser, login_server, email)
    assert small_tile(page, login_server, "&view=partnership") == "2"
    assert page.locator('[data-testid="stSidebar"]').get_by_text(f"Logged in as {email} ({label})").count() == 1


def test_an_unverified_email_claim_is_not_an_identity(login_server, browser):
    page = log_in(browser, login_server, "eve@cscp.test")  # listed as a member, but the provider did not verify
    assert small_tile(page, login_server, "&view=partnership") == "c"
    assert page.get_by_text("did not give a verified email address").count() == 1


def test_a_login_older_than_its_maximum_age_is_expired(login_store, oidc, browser, tmp_path):
    proc, url = start_with_login(login_store, oidc, tmp_path, CSCP_LOGIN_MAX_AGE="25")
    try:
        page = log_in(browser, url, "mo@cscp.test")
        logged_in = time.time()  # the provider authenticated a little before this
        assert small_tile(page, url, "&view=partnership") == "2"
        time.sleep(max(0.0, 27 - (time.time() - logged_in)))
        assert small_tile(page, url, "&view=partnership") == "c"
        assert page.get_by_text("Your login has expired").count() == 1
        assert page.get_by_role("button", name="Log in").count() == 1
    finally:
        _stop(proc)


def test_without_auth_configured_the_app_is_public_only_and_says_so(demo_db, context):  # noqa: F811
    proc, url = _start(demo_db)
    try:
        page = new_tab(context, 1280, 900)
        assert small_tile(page, url, "&view=partnership") == "c"
        assert page.get_by_role("button", name="Log in").count() == 0
        page.goto(url + "/data")
        _settle(page, "Login is not configured")
    finally:
        _stop(proc)
