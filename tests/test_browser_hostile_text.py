"""Ward names and links written by an attacker are shown as text: no link, no image, no request, no traceback.
The ward drill-down is the partnership view, so an analyst logs in through the real OIDC provider first."""

from __future__ import annotations

import shutil
from urllib.parse import quote, urlsplit

import pytest
from oidc_login import log_in, running_provider, start_with_login
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_browser import ARTIFACTS, _settle, _stop, pytestmark  # noqa: F401  (the browser marks)

from cscp_metrics.records import members, workspace
from cscp_metrics.store import aggregates
from cscp_metrics.store import connection as store
from cscp_ui.plain_text import ZWSP

LINK_WARD = "[Click for help](https://evil.example/phish)"
HTML_WARD = '<a href="https://evil.example/axis">Axis help</a>'
ANALYST = "ana@cscp.test"
HOSTILE_DRILL = "referrals|source=[Log in again](https://evil.example/login) ![t](http://127.0.0.9/t.png)"
# every <a>/<img>/<image> whose target is one of the attacker's addresses, in the page or plotly's SVG
PLANTED = """() => Array.from(document.querySelectorAll('a, img, image')).filter(e =>
    ['href', 'xlink:href', 'src'].some(k => /evil\\.example|127\\.0\\.0\\.9/.test(e.getAttribute(k) || ''))).length"""


@pytest.fixture(scope="module")
def hostile_server(demo_db, tmp_path_factory):
    """A copy of the demo store whose two largest wards are renamed by an attacker (direct SQL on the copy,
    then the aggregates rebuilt as a load would), served with login configured and one analyst."""
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "hostile.duckdb"
    shutil.copy(demo_db, path)
    con = store.connect(path)
    con.execute("UPDATE children SET ward = ? WHERE ward = 'St Pancras and Somers Town'", [LINK_WARD])
    con.execute("UPDATE children SET ward = ? WHERE ward = ?", [HTML_WARD, "Regent's Park"])
    aggregates.build(con)
    con.close()
    with workspace.opened(path) as records:
        members.add(records, ANALYST, "analyst", by="test")
    with running_provider({ANALYST: True}) as issuer:
        proc, url = start_with_login(path, issuer, folder)
        try:
            yield url
        finally:
            _stop(proc)


def _open(browser, url: str, text: str, page=None):
    """`page`: a logged-in page to reuse (its cookie is the login); else a fresh anonymous one."""
    page = page or browser.new_page(viewport={"width": 1920, "height": 1080})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    _settle(page, text)
    return page, requests


def _no_planted_links(page, requests: list[str]) -> None:
    assert page.evaluate(PLANTED) == 0
    assert not [r for r in requests if urlsplit(r).hostname in ("127.0.0.9", "evil.example")]


def _choose(page, box: str, option: str) -> None:
    """Open a select box and pick an option; a rerun landing as the list opens closes it (seen on a machine with
    a load average of 11), so open it again."""
    for _ in range(3):
        page.locator('[data-testid="stSelectbox"]').filter(has_text=box).click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=15_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            _settle(page)
    raise AssertionError(f"no option {option!r} in {box!r}")


def test_hostile_ward_names_in_drill_heading_breadcrumb_and_axis(hostile_server, browser):
    analyst = log_in(browser, hostile_server, ANALYST, viewport=(1920, 1080))
    page, requests = _open(
        browser,
        hostile_server + "/front-door?year=2019-20&view=partnership&drill=referrals",
        "Break down by",
        analyst,
    )
    assert page.locator('[data-testid="stSidebar"]').get_by_text(f"Logged in as {ANALYST}").count() == 1
    _choose(page, "Break down by", "ward")
    heading = page.get_by_text("is the largest ward").first
    heading.wait_for(timeout=30_000)
    _settle(page)
    # the heading names the largest ward as the file spelt it, as text (zero-width spaces break autolinks)
    assert f"{LINK_WARD} is the largest ward" in heading.text_content().replace(ZWSP, "")
    ticks = page.locator(".js-plotly-plot .xtick text").all_text_contents()
    assert any(HTML_WARD.replace('"', "") in t.replace('"', "") for t in ticks), ticks  # the axis shows the tag as text
    page.screenshot(path=str(ARTIFACTS / "hostile_ward_axis_1920x1080.png"))
    _no_planted_links(page, requests)

    page, requests = _open(
        browser,
        hostile_server + "/front-door?year=2019-20&view=partnership&drill=" + quote(f"referrals|ward={LINK_WARD}"),
        "ward: [Click for help]",
        analyst,
    )
    crumb_text = page.get_by_text("ward: [Click for help]").first
    crumb_text.scroll_into_view_if_needed()
    crumb = crumb_text.text_content().replace(ZWSP, "")
    assert crumb == f"ward: {LINK_WARD}"  # the breadcrumb, as text
    assert page.locator('[data-testid="stAlert"]').count() == 0  # a published bar: a valid drill
    page.screenshot(path=str(ARTIFACTS / "hostile_ward_breadcrumb_1920x1080.png"))
    _no_planted_links(page, requests)


def test_hostile_drill_in_the_url_is_dropped_with_a_plain_warning(hostile_server, browser):
    page, requests = _open(
        browser,
        hostile_server + "/front-door?year=2019-20&drill=" + quote(HOSTILE_DRILL),
        "Part of this drill-down is not a published bar",
    )
    # the URL is rewritten at the end of the script run: wait for it, then nothing of the link may be left in it
    page.wait_for_function(
        "() => !location.href.includes('evil') && !location.href.includes('127.0.0.9')", timeout=60_000
    )
    assert page.get_by_text("Log in again").count() == 0  # dropped: nothing from the link is shown at all
    page.screenshot(path=str(ARTIFACTS / "hostile_drill_url_1920x1080.png"))
    _no_planted_links(page, requests)
