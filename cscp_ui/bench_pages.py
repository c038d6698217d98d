"""`cscp bench`'s page timings, in Streamlit's AppTest: the app's pages against bare pages drawing the same
things from ready numbers, and the first view of a period after a publish against the same view warm.

Lives beside the app because it runs it; `cscp bench` calls it only where Streamlit is installed."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"
BARE_TILES = """
import streamlit as st
figures = {"2016-17": (1, 2, 3.0), "2017-18": (4, 5, 6.0), "2018-19": (7, 8, 9.0), "2019-20": (10, 11, 12.0)}
year = st.sidebar.selectbox("Financial year", list(figures), key="w_year")
for column, (label, value) in zip(st.columns(3), zip(("Contacts", "Referrals", "Re-referrals"), figures[year])):
    with column:
        st.metric(label, f"{value:,}", chart_data=[1, 2, 3], chart_type="line")
        st.caption(year)
        st.text("England: 1 → similar\\nVariation: common cause")
"""
BARE_SIGNALS = """
import json
import streamlit as st
signals = json.loads(SIGNALS)
year = st.sidebar.selectbox("Financial year", list(signals), key="w_year")
st.title(f"Where to look, {year}")
for number, sentence in enumerate(signals[year], 1):
    with st.container(border=True):
        st.markdown(f"**{number}.**")
        st.text(sentence)
"""
YEARS = ("2016-17", "2017-18", "2018-19", "2015-16", "2014-15", "2013-14")


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
    """A new version with the same content (a new inode): the app drops its cached figures, as after a load."""
    draft = db.with_name(db.name + ".bench-copy")
    shutil.copyfile(db, draft)
    os.replace(draft, db)


def timings(db: Path, repeats: int, app_path: Path | None = None) -> dict[str, list[float]]:
    """Seconds per run: Front door after a year change and a bare tile page; Where to look after a year change and
    a bare page listing the same sentences; the first Front door view after a publish and the same view warm."""
    years = list(YEARS[: max(1, repeats)])
    out: dict[str, list[float]] = {
        key: [] for key in ("rerun_app", "rerun_bare", "look_app", "look_bare", "first_view", "warm_view")
    }
    with _store(db):
        app = AppTest.from_file(str(app_path or APP), default_timeout=900)
        app.run()
        app.switch_page("pages/front-door.py").run()
        bare = AppTest.from_string(BARE_TILES, default_timeout=60)
        bare.run()
        for year in years:
            out["rerun_app"].append(_timed_run(app, year))
            out["rerun_bare"].append(_timed_run(bare, year if year in ("2016-17", "2017-18", "2018-19") else "2019-20"))
        for _ in years[:3]:
            _republish(db)
            out["first_view"].append(_timed_run(app))
            out["warm_view"].append(_timed_run(app))
        app.switch_page("pages/where-to-look.py").run()
        sentences = {}
        looked = _signal_years(db, max(1, repeats))
        for year in looked:  # each view the first of its year after a publish: no Streamlit cache helps
            _republish(db)
            out["look_app"].append(_timed_run(app, year))
            sentences[year] = [t.value for t in app.text][:40]
        bare = AppTest.from_string(
            f"SIGNALS = {json.dumps(json.dumps(sentences))}\n" + BARE_SIGNALS, default_timeout=60
        )
        bare.run()
        for year in looked:
            out["look_bare"].append(_timed_run(bare, year))
    return out


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
