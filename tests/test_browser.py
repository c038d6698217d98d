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
pytestmark = [pytest.mark.browser, pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(demo_db):
    port = _free_port()
    env = {**os.environ, "CSCP_DB": str(demo_db)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
                             "--server.headless", "true"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def _settle(page, text: str | None = None):
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    if text:
        page.get_by_text(text, exact=False).first.wait_for(timeout=60_000)
    for _ in range(120):
        if page.locator('[data-testid="stStatusWidget"]').count() == 0:
            break
        time.sleep(0.5)
    time.sleep(1)
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator('[data-testid="stException"]').first.inner_text()


def test_pages_and_year_change(server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(server + "/?year=2019-20")
    _settle(page, "Where to look")
    page.screenshot(path=str(ARTIFACTS / "overview_1920x1080.png"), full_page=False)
    for path in ("front-door", "vulnerable-adolescents", "cin-cp-lac", "lado", "definitions", "data"):
        page.goto(f"{server}/{path}?year=2019-20")
        _settle(page)
    page.goto(server + "/front-door?year=2019-20")
    _settle(page, "6,259")
    assert page.get_by_text("1,475").count() > 0
    page.goto(server + "/front-door?year=2018-19")
    _settle(page, "6,223")


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_projector_mode_and_arrow_keys(server, browser, size):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(server + "/?present=1&year=2019-20")
    _settle(page, "1 of 9")
    page.screenshot(path=str(ARTIFACTS / f"projector_{size[0]}x{size[1]}.png"))
    assert page.locator('[data-testid="stSidebar"]').is_hidden()
    title = page.locator(".present-title").inner_text()
    page.mouse.click(5, size[1] - 5)
    page.keyboard.press("ArrowRight")
    page.get_by_text("2 of 9").first.wait_for(timeout=30_000)
    _settle(page)
    assert page.locator(".present-title").inner_text() != title
    page.keyboard.press("ArrowLeft")
    page.get_by_text("1 of 9").first.wait_for(timeout=30_000)
