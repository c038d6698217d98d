"""Every page through Streamlit's AppTest, on the demo store."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ["overview", "front_door", "vulnerable_adolescents", "youth_violence", "domestic_abuse", "neglect",
         "child_sexual_abuse", "radicalisation", "cin_cp_lac", "send_education", "lado", "training_learning",
         "definitions", "data"]


@pytest.fixture
def app(demo_db, monkeypatch):
    monkeypatch.setenv("CSCP_DB", str(demo_db))
    return AppTest.from_file(APP, default_timeout=120)


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(app, page):
    app.run()
    if page != "overview":
        app.switch_page(f"pages/{page}.py")
        app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.title or app.dataframe


def test_front_door_shows_published_figures_and_changes_with_year(app):
    app.run()
    app.switch_page("pages/front_door.py")
    app.run()
    shown = _metrics(app)
    assert shown["Contacts to the front door"] == "6,259"
    assert shown["Referrals to children's social care"] == "1,475"
    assert shown["Re-referrals within 12 months"] == "8.1%"
    app.sidebar.selectbox(key="w_year").set_value("2018-19").run()
    shown = _metrics(app)
    assert shown["Contacts to the front door"] == "6,223"
    assert shown["Referrals to children's social care"] == "1,394"
    assert app.query_params["year"] in ("2018-19", ["2018-19"])


def test_url_filters_are_read_and_bad_values_fall_back_with_a_note(app):
    app.query_params["year"] = "2018-19"
    app.query_params["cmp"] = "mars"
    app.run()
    assert not app.exception
    assert any("mars" in w.value for w in app.warning)
    assert _metrics(app)["Referrals to children's social care"] == "1,394"


def test_public_view_hides_small_numbers_partnership_view_shows_them(app):
    app.run()
    app.switch_page("pages/domestic_abuse.py")
    app.run()
    assert _metrics(app)["Fathers completing Caring Dads"] == "c"
    app.sidebar.radio(key="w_view").set_value("partnership").run()
    assert _metrics(app)["Fathers completing Caring Dads"] == "2"


def test_quarter_filter(app):
    app.run()
    app.sidebar.radio(key="w_q").set_value("Q4").run()
    assert not app.exception
    quarter = int(_metrics(app)["Referrals to children's social care"].replace(",", ""))
    assert 0 < quarter < 1475


def test_projector_mode_one_indicator_per_screen(app):
    app.query_params["present"] = "1"
    app.run()
    assert not app.exception
    assert len(app.metric) == 0
    first = [m.value for m in app.markdown if "present-title" in m.value]
    app.button(key="present_next").click().run()
    second = [m.value for m in app.markdown if "present-title" in m.value]
    assert first and second and first != second


def test_drill_path_from_url_and_select_box_and_breadcrumb(app):
    app.query_params["drill"] = "referrals|source=police"
    app.run()
    app.switch_page("pages/front_door.py")
    app.run()
    assert not app.exception
    assert any(b.label.startswith("↑ Referrals") for b in app.button)
    police = app.subheader[-1].value
    pick = [s for s in app.selectbox if s.label.startswith("Or choose")][0]
    pick.set_value(pick.options[1]).run()
    assert app.session_state["drill"].count("|") == 2
    assert app.subheader[-1].value != police
    [b for b in app.button if b.label.startswith("↑ Referrals")][0].click().run()
    assert app.session_state["drill"] == "referrals"
    assert app.query_params.get("drill") in ("referrals", ["referrals"])
