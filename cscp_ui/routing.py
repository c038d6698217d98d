"""The router: every page of the dashboard, and the guard that sends a page file back through the router.

Streamlit decides, once per process, whether an app uses the old file-based page list: `PagesManager` sets
`uses_pages_directory` when a `pages/` folder sits beside the main script, and only a call to
`st.navigation` clears it. Until the first script run has called it (and for every session whose first run
starts before then), Streamlit lists the files of `pages/` itself and runs `pages/<url>.py` directly, without
app.py: no filters in session state, a page list of file names, and "Page not found" for any URL that is not a
file name. So each page file is named after its URL path (every bookmark matches a file in that fallback) and
hands control to the router when it is run outside it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from importlib import import_module

# PIL.Image is loaded with the router, before any session draws: st.image imports it on first use, and plotly,
# serialising another session's chart at that moment, reads sys.modules without waiting for the import and found
# it half-initialised ("partially initialized module 'PIL.Image'", a traceback seen with 12 sessions opening at once)
import PIL.Image  # noqa: F401
import streamlit as st

from cscp_metrics.indicators.registry.pages import SECTIONS, PageSpec, load_pages

_INSIDE_ROUTER: ContextVar[bool] = ContextVar("inside_router", default=False)
PAGES = load_pages().pages


def _renderer(spec: PageSpec) -> Callable[[], None]:
    """The function that draws a page of the registry, by its kind."""
    if spec.kind == "priority":
        from .priority import page as priority_page

        return lambda: priority_page(list(spec.areas), spec.page_heading)
    module = {
        "overview": "overview",
        "where-to-look": "scrutiny",
        "funnel": "funnel",
        "definitions": "definitions",
        "data": "data_page",
        "assurance": "assurance_page",
    }[spec.kind]
    return import_module(f"cscp_ui.{module}").page


def run() -> None:
    """One script run: store check, filters from the URL, navigation, the chosen page, filters back to the URL."""
    from . import council, data, filters, page_style, projector

    st.set_page_config(page_title="Safeguarding partnership dashboard", page_icon="🛡️", layout="wide")
    data.watch_store()
    notes = filters.init_from_url()
    # Streamlit serves the default page at "/" only (its url_path is reserved but never matched), so the default
    # is a hidden entry for "/" and Overview keeps /overview as a page of its own
    home = st.Page(PAGES[0].file, title=PAGES[0].title, url_path="home", default=True, visibility="hidden")
    sections: dict[str, list] = {section: [] for section in SECTIONS}
    sections[PAGES[0].section].append(home)
    for spec in PAGES:
        sections[spec.section].append(st.Page(spec.file, title=spec.title, url_path=spec.url_path))
    navigation = st.navigation(
        {s: pages for s, pages in sections.items() if pages},
        position="hidden" if st.session_state.get("present") == "1" else "sidebar",
        expanded=True,
    )
    here = PAGES[0].url_path if navigation.url_path in ("", "home") else navigation.url_path
    # each page has its own document title (WCAG 2.4.2): the page, then the council
    st.set_page_config(page_title=f"{navigation.title} · {council.name()} safeguarding partnership")
    if (st.session_state.get("focus") or {}).get("page") != navigation.url_path:
        st.session_state.pop("focus", None)  # a 'Show me' highlight belongs to the page it opened
    if st.session_state.setdefault("_page", here) != here:
        st.session_state["_page"], st.session_state["slide"] = here, "1"  # a new page starts at its first slide
    filters.sidebar()
    for note in notes:
        st.warning(note)
    filters.sync_url()
    page_style.apply()
    if st.session_state.get("present") == "1":
        projector.style()
    top = st.container()
    with _inside_router():
        navigation.run()
    if st.session_state.get("present") == "1" and not projector.drawn():
        with top:
            projector.exit_only()
    filters.sync_url()
    _freeze_what_the_first_run_made()


_FROZEN = threading.Event()


def _freeze_what_the_first_run_made() -> None:
    """After the process's first script run, the objects alive (Streamlit, pandas, plotly, the registry: nearly all
    of the heap) are moved out of the garbage collector's sight. Each full collection otherwise walks them all: a
    90-130 ms pause on whichever page view triggers it, twice in the London bench's page timings (14-19 ms after)."""
    if not _FROZEN.is_set():
        _FROZEN.set()
        gc.freeze()


def neighbour(url_path: str, step: int) -> PageSpec | None:
    """The page before (-1) or after (+1) this one in the navigation, for paging across pages in projector mode."""
    paths = [p.url_path for p in PAGES]
    at = paths.index(url_path) + step if url_path in paths else -1
    return PAGES[at] if 0 <= at < len(PAGES) else None


@contextmanager
def _inside_router() -> Iterator[None]:
    token = _INSIDE_ROUTER.set(True)
    try:
        yield
    finally:
        _INSIDE_ROUTER.reset(token)


def show(render: Callable[[], None]) -> None:
    """A page file's only call: draw the page, or, when Streamlit ran the file by itself, run the router."""
    if _INSIDE_ROUTER.get():
        render()
    else:
        run()


def show_page(url_path: str) -> None:
    """The whole of a page file: `show_page("neglect")` draws the registry's page of that URL."""
    show(_renderer(load_pages().page(url_path)))
