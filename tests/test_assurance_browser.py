"""The Assurance page in Debian's headless chromium, logged in through the OIDC provider mock: a member sees the
register with ratings in words and overdue actions first; a visitor who is not logged in sees none of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_browser import ARTIFACTS, CHROMIUM, _settle, _stop
from test_login_browser import log_in, oidc, start_with_login  # noqa: F401

from cscp_metrics.records import assurance_demo, members, workspace

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed"),
]


@pytest.fixture(scope="module")
def assurance_server(demo_db, oidc, tmp_path_factory):  # noqa: F811
    store = tmp_path_factory.mktemp("assurance") / "store.duckdb"
    shutil.copy(demo_db, store)
    with workspace.opened(store) as records:
        members.add(records, "mo@cscp.test", "member", by="test")
        assurance_demo.seed(records)
    proc, url = start_with_login(store, oidc, tmp_path_factory.mktemp("secrets"), CSCP_WORKSPACE_URL="")
    yield url
    _stop(proc)


def test_member_sees_the_register_and_overdue_actions(assurance_server, browser):
    page = log_in(browser, assurance_server, "mo@cscp.test")
    page.goto(assurance_server + "/assurance")
    _settle(page, "Did it make a difference?")
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Overdue actions")
    assert metric.locator('[data-testid="stMetricValue"]').inner_text().strip() == "3"
    headings = [h.strip() for h in page.locator("h3").all_inner_texts()]
    assert (
        headings.index("Overdue actions")
        < headings.index("Risk register")
        < headings.index("Did it make a difference?")
    )
    page.screenshot(path=str(ARTIFACTS / "assurance_member.png"), full_page=True)


def test_not_logged_in_sees_none_of_it(assurance_server, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(assurance_server + "/assurance")
    _settle(page, "log in as a partnership member")
    page.get_by_text("No assurance records to show.").wait_for(timeout=60_000)
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
