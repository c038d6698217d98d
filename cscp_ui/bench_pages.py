"""`cscp bench`'s page timings, in Streamlit's AppTest: the app's pages against bare pages drawing the same
things from ready numbers, and the first view of a period after a publish against the same view warm.

Lives beside the app because it runs it; `cscp bench` calls it only where Streamlit is installed."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

APP = Path(__file__).resolve().parents[1] / "app.py"
BARE_PAGE = """
import json
import pandas as pd
import streamlit as st
from cscp_ui import sparkline
pages = json.loads(PAGES)
year = st.sidebar.selectbox("Financial year", list(pages), key="w_year")
TEXT = {"title": st.title, "header": st.header, "subheader": st.subheader, "caption": st.caption,
        "markdown": st.markdown, "text": st.text, "info": st.info, "warning": st.warning, "error": st.error,
        "success": st.success}
for number, (kind, shown) in enumerate(pages[year]):
    key = f"bare_{kind}_{number}"  # a widget of another kind at this place in another year's page
    if kind in TEXT:
        TEXT[kind](shown)
    elif kind == "metric":
        st.metric(shown[0], shown[1], border=True)
    elif kind == "image":
        st.image(sparkline.svg([6.0, 5.0, 7.0, 6.5, 8.0, 7.5]), width="stretch", alt="trend")
    elif kind == "plotly_chart":
        st.plotly_chart(json.loads(shown), width="stretch", key=key)
    elif kind == "dataframe":
        st.dataframe(pd.DataFrame(shown), hide_index=True)
    elif kind == "download_button":
        st.download_button("Download CSV", "a,b\\n1,2", file_name="chart.csv", key=key)
    elif kind == "button":
        st.button(shown, key=key)
    elif kind in ("selectbox", "radio", "multiselect"):
        getattr(st, kind)(shown[0], shown[1], key=key)
    elif kind == "date_input":
        st.date_input(shown, value=None, key=key)
    elif kind in ("toggle", "text_input", "text_area"):
        getattr(st, kind)(shown, key=key)
"""
YEARS = ("2016-17", "2017-18", "2018-19", "2015-16", "2014-15", "2013-14")


@contextmanager
def _as_a_server_after_its_first_run() -> Iterator[None]:
    """AppTest starts every run as a server's very first: it sets Streamlit's pages-folder flag back before each,
    so each run listed pages/, made a page per file and ran app.py through Streamlit's old multipage wrapper before
    the router's st.navigation turned the flag off again. A server does that once per process (the flag is a class
    attribute, routing.py's docstring); kept off here, a timed run does what a server's page view does."""
    original = PagesManager.__init__

    def after_the_first_run(self: PagesManager, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = after_the_first_run  # type: ignore[method-assign]
    try:
        yield
    finally:
        PagesManager.__init__ = original  # type: ignore[method-assign]
        PagesManager.uses_pages_directory = None


@contextmanager
def _store(db: Path) -> Iterator[None]:
    previous = os.environ.get("CSCP_DB")
    os.environ["CSCP_DB"] = str(db)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("CSCP_DB", None)
        else:
            os.environ["CSCP_DB"] = previous


def _timed_run(app: AppTest, year: str | None = None) -> float:
    started = time.perf_counter()
    (app.sidebar.selectbox(key="w_year").set_value(year) if year else app).run()
    elapsed = time.perf_counter() - started
    if app.exception:
        raise RuntimeError(f"the app failed on the bench store: {app.exception[0].value}")
    return elapsed


def _republish(db: Path) -> None:
    """A new version with the same content, published as a load publishes one (a new file, with its receipt): the
    app drops its cached figures and opens the new version."""
    from cscp_metrics.ready.publish import register
    from cscp_metrics.store.publishing import new_version

    register()
    with new_version(db):
        pass


def timings(db: Path, repeats: int, app_path: Path | None = None) -> dict[str, list[float]]:
    """Seconds per run: Front door after a year change and a bare page drawing the same tiles, chart and table; Where to look after a year change and
    a bare page listing the same sentences; the first Front door view after a publish and the same view warm."""
    years = list(YEARS[: max(1, repeats)])
    out: dict[str, list[float]] = {
        key: [] for key in ("rerun_app", "rerun_bare", "look_app", "look_bare", "first_view", "warm_view")
    }
    with _store(db), _as_a_server_after_its_first_run():
        app = AppTest.from_file(str(app_path or APP), default_timeout=900)
        app.run()
        app.switch_page("pages/front-door.py").run()
        shown = {}
        for year in years:
            out["rerun_app"].append(_timed_run(app, year))
            shown[year] = _shown(app)
        bare = _bare(shown)
        for year in years:
            out["rerun_bare"].append(_timed_run(bare, year))
        for _ in years[:3]:
            _republish(db)
            out["first_view"].append(_timed_run(app))
            out["warm_view"].append(_timed_run(app))
        app.switch_page("pages/where-to-look.py").run()
        looked = _signal_years(db, max(1, repeats))
        shown = {}
        for year in looked:  # each view the first of its year after a publish: no Streamlit cache helps
            _republish(db)
            out["look_app"].append(_timed_run(app, year))
            shown[year] = _shown(app)
        bare = _bare(shown)
        for year in looked:
            out["look_bare"].append(_timed_run(bare, year))
    return out


def _shown(app: AppTest) -> list[tuple[str, object]]:
    """What the app drew, element by element (the year picker aside): a bare page draws the same from these."""
    found: list[tuple[str, object]] = []

    def walk(node: Block) -> None:
        for child in node.children.values():
            if isinstance(child, Block):
                walk(child)
            elif child.type == "metric":
                found.append(("metric", (child.label, child.value)))
            elif child.type in ("plotly_chart", "download_button", "image"):
                found.append((child.type, child.proto.spec if child.type == "plotly_chart" else ""))
            elif child.type == "dataframe":
                found.append(("dataframe", child.value.astype(str).to_dict("list")))
            elif child.type in ("selectbox", "radio", "multiselect"):
                if child.key != "w_year":
                    found.append((child.type, (child.label, list(child.options))))
            elif child.type in ("button", "toggle", "text_input", "text_area", "date_input"):
                found.append((child.type, child.label))
            elif isinstance(getattr(child, "value", None), str):
                found.append((child.type, child.value))

    walk(app._tree)
    return found


def _bare(shown: dict[str, list[tuple[str, object]]]) -> AppTest:
    """A page drawing, for each year, the same elements from these ready values."""
    bare = AppTest.from_string(f"PAGES = {json.dumps(json.dumps(shown))}\n" + BARE_PAGE, default_timeout=60)
    bare.run()
    if bare.exception:
        raise RuntimeError(f"the bare page failed: {bare.exception[0].value}")
    return bare


def _signal_years(db: Path, runs: int) -> list[str]:
    """The years whose signals are computed at publish (the default year, the year before it, the newest),
    taken in turn for `runs` views."""
    import duckdb

    from cscp_metrics.ready.signals import periods

    con = duckdb.connect(str(db), read_only=True)
    try:
        ready = periods(con)
    finally:
        con.close()
    return [ready[i % len(ready)] for i in range(runs)]
