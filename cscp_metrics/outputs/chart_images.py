"""Plotly figures to PNG with kaleido, which drives a headless Chromium: Debian's /usr/bin/chromium by default
($CSCP_CHROMIUM, else kaleido's BROWSER_PATH, overrides it). One browser for all the charts of a pack: it
takes about 3 s to start, then each chart takes a fraction of a second."""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import plotly.graph_objects as go

DEBIAN_CHROMIUM = "/usr/bin/chromium"


class ChartExportError(RuntimeError):
    """No browser to draw charts with; the message says what to install or set."""


def browser_path() -> str:
    for candidate in (
        os.environ.get("CSCP_CHROMIUM"),
        os.environ.get("BROWSER_PATH"),
        DEBIAN_CHROMIUM,
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise ChartExportError(
        "no Chromium to draw the charts with: install Debian's chromium (apt-get install "
        "chromium) or set CSCP_CHROMIUM to a Chrome or Chromium executable"
    )


def to_png(figures: Sequence[go.Figure], scale: float = 1.5) -> list[tuple[bytes, float]]:
    """(PNG bytes, seconds) for each figure, in order, drawn in one browser session."""
    if not figures:
        return []
    path = browser_path()
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # the usual case: no event loop in this thread
        return asyncio.run(_draw(list(figures), path, scale))
    # called from inside a running event loop (a notebook; Playwright's sync API in the same test process), where
    # asyncio.run refuses to start another: the drawing gets a thread, and a loop, of its own
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _draw(list(figures), path, scale)).result()


async def _draw(figures: list[go.Figure], path: str, scale: float) -> list[tuple[bytes, float]]:
    import kaleido

    drawn = []
    async with kaleido.Kaleido(path=path, n=1) as browser:
        for fig in figures:
            started = time.perf_counter()
            layout = fig.layout
            png = await browser.calc_fig(
                fig,
                opts={"format": "png", "width": layout.width or 1000, "height": layout.height or 520, "scale": scale},
            )
            drawn.append((bytes(png), time.perf_counter() - started))
    return drawn
