"""axe-core on every page as a bookmark opens it on a fresh server (projector mode: test_projector_browser's walk),
and the checks axe cannot make: the computed colour of chart text, a title per page, tile titles in full, a visible
focus ring, a name per button."""

from __future__ import annotations

import re

import pytest
from test_browser import (  # noqa: F401 (fixtures)
    ARTIFACTS,
    CHROMIUM,
    HEADINGS,
    _settle,
    _start,
    _stop,
    context,
    new_tab,
    server,
)
from test_projector import _contrast

from cscp_ui.routing import PAGES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not __import__("pathlib").Path(CHROMIUM).exists(), reason="Debian chromium not installed"),
]
# Streamlit's own sectioned page list puts its section headers inside the <ul> (axe: list, listitem, serious):
# markup of Streamlit itself, reported, not the app's; everything else on the page is checked
STREAMLIT_NAV = {"exclude": [['[data-testid="stSidebarNav"]']]}


def _open(page, url: str, ready: str) -> None:
    page.goto(url)
    page.wait_for_selector(ready, timeout=120_000)
    _settle(page)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSpinner\"]')", timeout=120_000)


def _rgb_hex(css: str) -> str:
    r, g, b = (int(x) for x in re.findall(r"\d+", css)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def axe_findings(page) -> list[tuple[str, str, int]]:
    """axe-core's violations on the page as it stands: (rule, impact, nodes), Streamlit's own page list left out."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page, context=STREAMLIT_NAV).response["violations"]
    return sorted((v["id"], v["impact"], len(v["nodes"])) for v in violations)


def test_every_bookmarked_url_opens_its_page_on_a_fresh_server_and_axe_finds_nothing(demo_db, context):  # noqa: F811
    """The first runs after a server starts: Streamlit still treats pages/ as a file list until st.navigation
    has run once, so each URL is opened at once, in a tab of its own, before any has settled. Each
    page, once settled, is checked by axe (moderate and minor findings too: heading-order was one). The tabs share
    the module's browser context (no login here): each is a Streamlit session of its own all the same."""
    assert set(HEADINGS) == {p.url_path for p in PAGES}
    proc, url = _start(demo_db)
    tabs, found, titles = [], {}, set()
    try:
        for spec in PAGES:
            tab = new_tab(context, 1280, 720)
            query = "?year=2019-20&view=partnership" if spec.url_path in ("front-door", "lado") else ""
            tab.goto(f"{url}/{spec.url_path}{query}", wait_until="commit")
            tabs.append((tab, spec))
        for tab, spec in tabs:
            tab.locator("h1").first.wait_for(timeout=120_000)
            _settle(tab)
            tab.wait_for_function("() => !document.querySelector('[data-testid=\"stSpinner\"]')", timeout=120_000)
            assert tab.locator("h1").first.inner_text().startswith(HEADINGS[spec.url_path]), (spec.url_path, tab.url)
            assert f"/{spec.url_path}" in tab.url or spec.url_path == "overview", tab.url
            nav = tab.locator('[data-testid="stSidebarNav"]').inner_text()
            lines = [line for line in nav.split("\n") if line.strip()]
            assert lines[:2] == ["Meeting", "Overview"], nav  # sections and titles, not file names
            assert lines.index("Scrutiny") < lines.index("Where to look (scrutiny)"), nav
            found[spec.url_path] = axe_findings(tab)
            titles.add(tab.title())
    finally:
        for tab, _ in tabs:
            tab.close()
        _stop(proc)
    assert not any(found.values()), found
    assert len(titles) == len(PAGES), titles  # WCAG 2.4.2: each page has a title of its own


def test_what_axe_cannot_see(server, context):  # noqa: F811
    page = new_tab(context, 1280, 720)
    _open(page, f"{server}/front-door?year=2019-20&view=partnership", "[data-testid='stPlotlyChart'] .xtick text")
    fills = page.eval_on_selector_all(
        "[data-testid='stPlotlyChart'] .xtick text, [data-testid='stPlotlyChart'] "
        ".ytick text, [data-testid='stPlotlyChart'] .g-xtitle text, "
        "[data-testid='stPlotlyChart'] .bartext",
        "els => els.map(e => getComputedStyle(e).fill)",
    )
    assert fills and all(_contrast(_rgb_hex(f)) >= 4.5 for f in fills), set(fills)  # 1.4.3 (was #808495, 3.72:1)
    cut = page.eval_on_selector_all(
        "[data-testid='stMetricLabel'] p",
        "els => els.filter(e => e.scrollWidth > "
        "e.clientWidth + 1 || getComputedStyle(e).textOverflow === 'ellipsis').length",
    )
    assert cut == 0  # no tile title ends in '…' at 1280x720
    alts = page.eval_on_selector_all("[data-testid='stImage'] img", "els => els.map(e => e.alt)")
    assert alts and all(a.startswith("Trend of ") and "2019-20: " in a for a in alts)  # every value, not on hover
    page.keyboard.press("Tab")
    for _ in range(40):  # to the first sidebar page link, then its focus ring is measured
        if page.evaluate("() => !!document.activeElement.closest('[data-testid=\"stSidebarNav\"]')"):
            break
        page.keyboard.press("Tab")
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); "
        "return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }"
    )
    assert ring[0] == "solid" and ring[1] >= 2 and _contrast(_rgb_hex(ring[2]), "#F0F2F6") >= 3, ring  # 2.4.7
    _open(page, f"{server}/where-to-look?year=2019-20", "h1")
    page.get_by_role("button", name="Show me #2", exact=True).wait_for(timeout=120_000)  # the signals take a while
    names = page.get_by_role("button", name=re.compile("^Show me")).all_inner_texts()
    assert len(names) > 1 and len(set(names)) == len(names), names[:5]  # 2.4.6: not 40 buttons named 'Show me'
    page.screenshot(path=str(ARTIFACTS / "where_to_look_1280x720.png"))
