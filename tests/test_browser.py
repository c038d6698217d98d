"""A real `streamlit run` driven by Playwright in Debian's headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(
    db: Path, *options: str, port: int | None = None, host: str = "127.0.0.1", env: dict[str, str] | None = None
) -> tuple[subprocess.Popen, str]:
    """`options` are extra `streamlit run` options, e.g. --secrets.files for a login test."""
    port = port or _free_port()
    env = {**os.environ, "CSCP_DB": str(db), **(env or {})}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            *options,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://{host}:{port}"
    for _ in range(120):
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    return proc, url


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:  # a loaded machine can keep streamlit's shutdown busy
        proc.kill()
        proc.wait(30)


@pytest.fixture(scope="module")
def server(demo_db):
    proc, url = _start(demo_db)
    yield url
    _stop(proc)


@pytest.fixture(scope="module")
def context(browser):
    """One browser context for a module's tests that log nobody in: its tabs share a renderer process."""
    shared = browser.new_context()
    yield shared
    shared.close()


def new_tab(context, width: int = 1920, height: int = 1080):
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": height})
    return page


def _settle(page, text: str | None = None):
    # Streamlit marks its root with the script's state: a click or a new URL leaves "notRunning" at once (the
    # client asks for the rerun before it sends it), so waiting for it again waits for exactly that run
    idle = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    page.wait_for_selector(idle, timeout=60_000)
    if text:
        page.get_by_text(text, exact=False).first.wait_for(timeout=60_000)
    for _ in range(3):  # a rerun the run itself asked for (st.rerun, a switched page) starts just after it ends
        time.sleep(0.15)
        page.wait_for_selector(idle, timeout=60_000)
    assert page.locator('[data-testid="stDialog"]').filter(has_text="Page not found").count() == 0, page.url
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]'
    ).first.inner_text()


HEADINGS = {
    "overview": "Are children in Camden safe?",
    "where-to-look": "Where to look: Camden, 2019-20",
    "funnel": "",
    "front-door": "Front door",
    "vulnerable-adolescents": "Vulnerable adolescents",
    "youth-violence": "Youth violence",
    "domestic-abuse": "Domestic abuse",
    "neglect": "Neglect",
    "child-sexual-abuse": "Child sexual abuse",
    "radicalisation": "Radicalisation and extremism",
    "cin-cp-lac": "Children in need, child protection",
    "send-education": "SEND and education",
    "lado": "LADO: allegations",
    "training-learning": "Training, learning",
    "assurance": "Assurance",
    "definitions": "Definitions",
    "data": "Data",
}


def test_pages_and_year_change(server, context):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = new_tab(context)
    page.goto(server + "/?year=2019-20")
    _settle(page, "Are children in Camden safe?")
    page.locator('[data-testid="stMetric"]').nth(8).wait_for(timeout=60_000)  # all nine headline tiles
    _settle(page)
    page.screenshot(path=str(ARTIFACTS / "overview_1920x1080.png"), full_page=False)
    # every page opens without an error: the fresh-server walk (test_accessibility_browser) and the projector walk
    page.goto(f"{server}/funnel?year=2019-20")
    _settle(page)
    page.screenshot(path=str(ARTIFACTS / "funnel_1920x1080.png"))
    page.goto(server + "/front-door?year=2019-20")
    _settle(page, "6,259")
    assert page.get_by_text("1,475").count() > 0
    page.goto(server + "/front-door?year=2018-19")
    _settle(page, "6,223")


def test_projector_mode_and_arrow_keys_after_a_click(server, context):
    size = (1280, 720)  # both sizes and every page: test_projector_browser
    page = new_tab(context, *size)
    page.goto(server + "/?present=1&year=2019-20")
    _settle(page, "1 of 9")
    page.wait_for_selector(".present-value", timeout=60_000)
    _settle(page)
    page.screenshot(path=str(ARTIFACTS / f"projector_{size[0]}x{size[1]}.png"))
    assert page.locator('[data-testid="stSidebar"]').is_hidden()
    title = page.locator(".present-title").inner_text()
    page.mouse.click(5, size[1] - 5)
    _press_until(page, "ArrowRight", "2 of 9")
    _settle(page)
    assert page.locator(".present-title").inner_text() != title
    _press_until(page, "ArrowLeft", "1 of 9")


def _press_until(page, key: str, text: str) -> None:
    """The key listener is attached by a component iframe that loads after the page; wait for it first."""
    page.wait_for_function("() => document.__cscpKeys === true", timeout=30_000)
    page.keyboard.press(key)
    page.get_by_text(text).first.wait_for(timeout=30_000)


def test_click_a_bar_to_drill_down_and_climb_back(server, context):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = new_tab(context)
    page.goto(server + "/front-door?year=2019-20&view=partnership")
    _settle(page, "Police is the largest source")
    crumb = page.get_by_role("button", name="↑ Contacts to the front door")
    for _ in range(6):  # plotly.js misses some clicks in event+select mode (plotly.js#6898): click again
        bar = page.locator(".js-plotly-plot .barlayer .point path").first
        bar.scroll_into_view_if_needed()
        time.sleep(1)
        box = bar.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        try:  # a click that did register must not be followed by a second one on the next level's chart
            crumb.wait_for(timeout=15_000)
            break
        except PlaywrightTimeout:
            continue
    crumb.wait_for(timeout=10_000)
    _settle(page)
    assert page.url.endswith("drill=contacts%7Csource%3Dpolice"), page.url
    assert page.get_by_text("source: police").count() > 0
    page.screenshot(path=str(ARTIFACTS / "drill_police_1920x1080.png"))
    crumb.click()
    page.get_by_text("Police is the largest source").first.wait_for(timeout=30_000)
    _settle(page)
    assert "source%3Dpolice" not in page.url


def test_drill_by_select_box(server, context):
    page = new_tab(context)
    page.goto(server + "/front-door?year=2019-20&view=partnership")
    _settle(page, "Or choose a source to break down")
    page.get_by_text("Or choose a source to break down").scroll_into_view_if_needed()
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Or choose a source").click()
    page.get_by_role("option", name="school").click()
    page.get_by_text("source: school").first.wait_for(timeout=30_000)
    _settle(page)
    assert "source%3Dschool" in page.url


def test_challenge_raised_in_the_browser_is_there_after_a_restart(demo_copy, context):
    proc, url = _start(demo_copy)
    try:
        page = new_tab(context)
        page.goto(url + "/where-to-look?year=2019-20")
        _settle(page, "Raise a challenge")
        page.screenshot(path=str(ARTIFACTS / "where_to_look_1920x1080.png"))
        page.get_by_label("Question").fill("Why are re-referrals so far below England? <b>bold?</b>")
        page.get_by_label("Agency asked to answer").fill("Children and Families")
        page.get_by_role("button", name="Record challenge").click()
        page.get_by_text("recorded for 2019-20").first.wait_for(timeout=30_000)
    finally:
        _stop(proc)
    proc, url = _start(demo_copy)
    try:
        page = new_tab(context)
        page.goto(url + "/where-to-look?year=2020-21")  # carried forward into the next year while open
        _settle(page, "Why are re-referrals so far below England? <b>bold?</b>")
        assert page.locator("b", has_text="bold?").count() == 0  # text, never HTML
    finally:
        _stop(proc)


def test_two_app_processes_serve_one_store_while_a_load_publishes(demo_copy, context, tmp_path):
    servers = [_start(demo_copy) for _ in range(2)]
    try:
        pages = []
        for _, url in servers:
            page = new_tab(context, 1280, 720)
            page.goto(url + "/data")
            _settle(page, "Every load, newest first")
            pages.append(page)
        csv = tmp_path / "police_return_2020.csv"
        csv.write_text(
            "agency,measure_id,period_start,period_end,value\npolice,concordat_breaches,2020-04-01,2021-03-31,41\n"
        )
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "cscp_metrics.cli",
                "load",
                "--table",
                "partner_returns",
                "--db",
                str(demo_copy),
                str(csv),
            ],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        for page, (_, url) in zip(pages, servers):
            page.goto(url + "/data")
            _settle(page, "police_return_2020.csv")  # the new version, picked up without a restart
            page.goto(url + "/front-door?year=2019-20")
            _settle(page, "1,475")
    finally:
        for proc, _ in servers:
            _stop(proc)


def test_show_me_opens_the_finding_and_where_to_look_reads_in_words(server, context):
    page = new_tab(context)
    page.goto(server + "/where-to-look?year=2019-20")
    _settle(page, "Children on a CP plan for 2 years or more, 2019-20: 9.5%")
    page.screenshot(path=str(ARTIFACTS / "where_to_look_1920x1080.png"))
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "?year=" not in body and "re_referral_rate" not in body and "cp_over_2_years" not in body
    _show_me(page, "Children on a CP plan for 2 years or more, 2019-20: 9.5%")
    page.get_by_text("From Where to look: Children on a CP plan for 2 years or more").first.wait_for(timeout=60_000)
    _settle(page)
    assert "/cin-cp-lac" in page.url
    figure = page.locator('[data-testid="stMetric"]').filter(has_text="Children on a CP plan for 2 years or more").first
    assert figure.is_visible() and "9.5%" in figure.inner_text()
    box = figure.bounding_box()
    assert box["y"] + box["height"] <= 1080  # visible without scrolling
    page.screenshot(path=str(ARTIFACTS / "show_me_cin_cp_lac_1920x1080.png"))

    page.goto(server + "/where-to-look?year=2019-20&view=partnership")
    text = "Return home interviews completed, exploitation risk: child criminal exploitation"
    _settle(page, text)
    _show_me(page, text)
    page.get_by_text("From Where to look: Return home interviews completed").first.wait_for(timeout=60_000)
    _settle(page)
    assert page.get_by_text("finest breakdown").count() == 0
    assert page.get_by_text("child criminal exploitation").count() > 0
    assert page.locator(".js-plotly-plot").count() > 0


def _show_me(page, sentence: str) -> None:
    """The 'Show me' button in the same signal box as the sentence."""
    box = page.get_by_text(sentence).first.locator(
        "xpath=ancestor::div[.//button[starts-with(normalize-space(), 'Show me')]][1]"
    )
    box.get_by_role("button", name="Show me").click()
