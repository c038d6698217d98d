"""The board pack download on the Data page: members only, built on a click without holding up the page."""

from __future__ import annotations

import time
from pathlib import Path

from pypdf import PdfReader
from test_browser import ARTIFACTS, _settle
from test_login_browser import log_in, login_server, login_store, oidc, pytestmark  # noqa: F401  (fixtures, marks)


def test_only_members_see_the_pack_panel(login_server, browser):  # noqa: F811
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(login_server + "/data")
    _settle(page, "Every load")
    assert page.get_by_text("Board pack and annual report chapter").count() == 0


def test_member_builds_and_downloads_the_pdf_pack(login_server, browser):  # noqa: F811
    page = log_in(browser, login_server, "mo@cscp.test")
    page.goto(login_server + "/data?year=2019-20")
    _settle(page, "Board pack and annual report chapter")
    page.get_by_text("Board pack and annual report chapter").scroll_into_view_if_needed()
    page.get_by_text("Board pack (PDF)", exact=True).click()
    started = time.monotonic()
    page.get_by_role("button", name="Build").click()
    # while the pack is built, the rest of the page stays on screen (the click reruns the panel alone)
    page.get_by_text("Every load, newest first").wait_for(timeout=5_000)
    download_button = page.get_by_role("button", name="Download pack-2019-20-public.pdf")
    download_button.wait_for(timeout=240_000)
    built = time.monotonic() - started
    page.screenshot(path=str(ARTIFACTS / "board_pack_download.png"))
    with page.expect_download() as download:
        download_button.click()
    reader = PdfReader(Path(download.value.path()))
    assert len(reader.pages) >= 15
    assert (
        reader.pages[0]
        .extract_text()
        .replace("\n", " ")
        .startswith("Camden Safeguarding Children Partnership: board pack")
    )
    print(f"pack built in the app in {built:.1f} s")
