"""A county and a metropolitan district from `cscp init`, in a real browser at 1920x1080: the app opens on the
council's latest year, names it everywhere, and never shows Camden."""

from __future__ import annotations

import pytest
from test_browser import ARTIFACTS, CHROMIUM, _settle, _start, _stop, context, new_tab  # noqa: F401 (fixtures)
from typer.testing import CliRunner

from cscp_metrics.cli.main import app as cli

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not __import__("pathlib").Path(CHROMIUM).exists(), reason="Debian chromium not installed"),
]


@pytest.mark.parametrize("council, region", [("Kent", "South East"), ("Wigan", "North West")])
def test_council_store_opens_on_its_latest_year_and_names_the_council(tmp_path, context, council, region):  # noqa: F811
    db = tmp_path / "council.duckdb"
    assert CliRunner().invoke(cli, ["init", "--la", council, "--db", str(db)]).exit_code == 0
    proc, url = _start(db)
    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page = new_tab(context)
        page.goto(url)
        _settle(page, f"Are children in {council} safe?")
        page.locator('[data-testid="stMetric"]').nth(8).wait_for(timeout=60_000)
        _settle(page)
        page.screenshot(path=str(ARTIFACTS / f"council_{council.lower()}_overview_1920x1080.png"))
        body = page.locator("body").inner_text()
        assert "2024-25" in page.url and "Camden" not in body and "Inner London" not in body
        assert "no data" in body and "No records loaded yet from Police" in body
        page.goto(url + "/where-to-look?year=2024-25")
        _settle(page, f"Where to look: {council}, 2024-25")
        _settle(page, "signals")
        page.screenshot(path=str(ARTIFACTS / f"council_{council.lower()}_where_to_look_1920x1080.png"))
        body = page.locator("body").inner_text()
        assert "Camden" not in body and region in body and "funnel limits" in body
    finally:
        _stop(proc)
