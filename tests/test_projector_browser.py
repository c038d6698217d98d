"""Projector mode in Debian's Chromium: every page's slide fits 1920x1080 and 1280x720 with type a room can read
and nothing axe-core finds, and a chair pages through a meeting with the keyboard alone."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from test_accessibility_browser import axe_findings
from test_browser import ARTIFACTS, CHROMIUM, _settle, context, new_tab, server  # noqa: F401 (fixtures)
from test_projector import _contrast

from cscp_ui.routing import PAGES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not __import__("pathlib").Path(CHROMIUM).exists(), reason="Debian chromium not installed"),
]
SHOTS = {"overview", "where-to-look", "funnel", "data"}
MEASURE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const size = (sel) => [...document.querySelectorAll(sel)].map(e => parseFloat(getComputedStyle(e).fontSize));
  const exit = document.querySelector('.st-key-present_exit button').getBoundingClientRect();
  return {doc: document.documentElement.scrollHeight, main: main.scrollHeight, height: innerHeight,
          body: size('.present-finding, .present-line, .present-note, .present-where'), value: size('.present-value'),
          exitInside: exit.top >= 0 && exit.bottom <= innerHeight && exit.width > 0,
          headings: [...document.querySelectorAll('h1')].length};
}"""


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".present-title", timeout=120_000)
    _settle(page)


def _fits(page, url_path: str, width: int, height: int) -> None:
    found = page.evaluate(MEASURE)
    assert found["doc"] <= height and found["main"] <= height, (url_path, width, found)  # nothing to scroll
    assert found["exitInside"] and found["headings"] == 1, (url_path, width, found)
    assert page.locator('[data-testid="stSidebar"]').is_hidden()
    if width == 1920:
        assert min(found["body"]) >= 28, (url_path, found["body"])
        assert all(v >= 96 for v in found["value"]), (url_path, found["value"])
    if url_path in SHOTS:
        page.screenshot(path=str(ARTIFACTS / f"projector_{url_path}_{width}x{height}.png"))


def _resized(page, width: int, height: int) -> None:
    """The slide laid out again at another size (its type is in vh and vw; plotly redraws on the window's resize)."""
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_function(f"() => innerWidth === {width} && innerHeight === {height}")
    page.wait_for_timeout(400)  # plotly's resize handler is debounced
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def test_every_page_projects_a_slide_that_fits_the_screen_and_axe_finds_nothing(server, context):  # noqa: F811
    """A chair walks the whole meeting with the keyboard, page after page (End, then on to the next page): each
    page's first slide fits 1280x720 (and axe finds nothing) and, laid out again, 1920x1080 with type a room can
    read. One page load: the pages after it open in the app, as in a meeting (bookmarks: test_a_meeting_...)."""
    page = new_tab(context, 1280, 720)
    findings = {}
    _open(page, f"{server}/{PAGES[0].url_path}?present=1&year=2019-20")
    for number, spec in enumerate(PAGES):
        if number:
            _on_to_next_page(page, spec.url_path)
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stSpinner\"]')", timeout=120_000)
        assert re.search(r"slide 1 of \d+", page.locator(".present-where").inner_text()), spec.url_path
        _fits(page, spec.url_path, 1280, 720)
        findings[spec.url_path] = axe_findings(page)
        _resized(page, 1920, 1080)
        _fits(page, spec.url_path, 1920, 1080)
        _resized(page, 1280, 720)
    page.close()
    assert not any(findings.values()), findings


def _on_to_next_page(page, url_path: str) -> None:
    """End (unless the page has one slide), then the right arrow on its last slide opens the next page."""
    shown, count = re.search(r"slide (\d+) of (\d+)", page.locator(".present-where").inner_text()).groups()
    if shown != count:
        _press(page, "End", f"slide {count} of {count}")
    _keys_ready(page)
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(f"/{url_path}([?#]|$)"), timeout=60_000)
    page.wait_for_selector(".present-title", timeout=120_000)
    _settle(page)


def _keys_ready(page) -> None:
    page.wait_for_function("() => document.__cscpKeys === true", timeout=30_000)


def _press(page, key: str, text: str) -> None:
    page.keyboard.press(key)
    page.locator(".present-where", has_text=text).wait_for(timeout=60_000)
    _settle(page)


def _slide_in_url(page) -> str:
    return parse_qs(urlsplit(page.url).query).get("slide", ["1"])[0]


def test_a_meeting_without_a_mouse(server, context):  # noqa: F811
    page = new_tab(context, 1280, 720)
    _open(page, f"{server}/?present=1&year=2019-20")
    _keys_ready(page)
    _press(page, "End", "slide 9 of 9")
    assert _slide_in_url(page) == "9"
    _press(page, "Home", "slide 1 of 9")
    _press(page, "PageDown", "slide 2 of 9")
    assert _slide_in_url(page) == "2"
    _press(page, "ArrowRight", "slide 3 of 9")
    _press(page, "PageUp", "slide 2 of 9")
    _press(page, "End", "slide 9 of 9")
    _press(page, "ArrowRight", "Where to look, 2019-20 · slide 1 of")  # on into the next page
    assert "/where-to-look" in page.url
    _press(page, "ArrowLeft", "Overview · slide 9 of 9")  # and back to where it left off
    _open(page, f"{server}/funnel?present=1&year=2019-20&slide=3")  # a bookmarked slide reopens
    assert re.search(r"slide 3 of \d+", page.locator(".present-where").inner_text())
    _keys_ready(page)
    page.keyboard.press("Escape")
    page.locator('[data-testid="stSidebar"]').wait_for(state="visible", timeout=60_000)
    _settle(page)
    assert "present=" not in page.url and "/funnel" in page.url and page.locator(".present-title").count() == 0


def test_projector_trend_starts_at_zero_in_dark_ink(server, context):  # noqa: F811
    page = new_tab(context)
    _open(page, f"{server}/?present=1&year=2019-20&slide=3")  # re-referrals: 19.5% down to 8.1%
    page.wait_for_selector("[data-testid='stPlotlyChart'] .ytick text", timeout=60_000)
    ticks = page.eval_on_selector_all("[data-testid='stPlotlyChart'] .ytick text", "els => els.map(e => e.textContent)")
    assert ticks[0] == "0", ticks
    fills = page.eval_on_selector_all(
        "[data-testid='stPlotlyChart'] .xtick text, [data-testid='stPlotlyChart'] .ytick text",
        "els => els.map(e => getComputedStyle(e).fill)",
    )
    for fill in set(fills):
        r, g, b = (int(x) for x in re.findall(r"\d+", fill)[:3])
        assert _contrast(f"#{r:02x}{g:02x}{b:02x}") >= 4.5, fill
    assert (
        page.get_by_role("img", name=re.compile("Line chart of Re-referrals")).count()
        + page.locator("[aria-label^='Line chart of Re-referrals']").count()
        > 0
    )  # the chart has a text equivalent
