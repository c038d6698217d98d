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

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import streamlit as st

_INSIDE_ROUTER: ContextVar[bool] = ContextVar("inside_router", default=False)


@dataclass(frozen=True)
class PageSpec:
    url_path: str
    title: str

    @property
    def file(self) -> str:
        return f"pages/{self.url_path}.py"


PAGES = [
    PageSpec("overview", "Overview"),
    PageSpec("where-to-look", "Where to look (scrutiny)"),
    PageSpec("funnel", "All LAs: funnel plot"),
    PageSpec("front-door", "Front door"),
    PageSpec("vulnerable-adolescents", "Vulnerable adolescents"),
    PageSpec("youth-violence", "Youth violence"),
    PageSpec("domestic-abuse", "Domestic abuse"),
    PageSpec("neglect", "Neglect"),
    PageSpec("child-sexual-abuse", "Child sexual abuse"),
    PageSpec("radicalisation", "Radicalisation and extremism"),
    PageSpec("cin-cp-lac", "Children in need, protection and care"),
    PageSpec("send-education", "SEND and education"),
    PageSpec("lado", "LADO"),
    PageSpec("training-learning", "Training and learning"),
    PageSpec("assurance", "Assurance (members)"),
    PageSpec("definitions", "Definitions"),
    PageSpec("data", "Data"),
]


def run() -> None:
    """One script run: store check, filters from the URL, navigation, the chosen page, filters back to the URL."""
    from . import data, filters

    st.set_page_config(page_title="Safeguarding partnership dashboard", page_icon="🛡️", layout="wide")
    data.watch_store()
    notes = filters.init_from_url()
    # Streamlit serves the default page at "/" only (its url_path is reserved but never matched), so the default
    # is a hidden entry for "/" and Overview keeps /overview as a page of its own
    home = st.Page(PAGES[0].file, title=PAGES[0].title, url_path="home", default=True, visibility="hidden")
    pages = [home] + [st.Page(p.file, title=p.title, url_path=p.url_path) for p in PAGES]
    navigation = st.navigation(pages, position="hidden" if st.session_state.get("present") == "1" else "sidebar")
    if (st.session_state.get("focus") or {}).get("page") != navigation.url_path:
        st.session_state.pop("focus", None)  # a 'Show me' highlight belongs to the page it opened
    filters.sidebar()
    for note in notes:
        st.warning(note)
    filters.sync_url()
    with _inside_router():
        navigation.run()
    filters.sync_url()


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
