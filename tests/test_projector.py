"""Projector mode through AppTest on every page, and the axes and ink of every chart builder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cscp_metrics.indicators.registry import load_registry
from cscp_ui import routing

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app(demo_db, monkeypatch):
    monkeypatch.setenv("CSCP_DB", str(demo_db))
    return AppTest.from_file(APP, default_timeout=180)


def _slide_html(at) -> str:
    return "".join(h.proto.body for h in at.get("html") if "present-slide" in h.proto.body)


@pytest.mark.parametrize("page", [p.url_path for p in routing.PAGES])
def test_every_page_has_slides_with_a_way_out(app, page):
    app.query_params.update({"present": "1", "year": "2019-20"})
    app.run()
    if page != "overview":
        app.switch_page(f"pages/{page}.py")
        app.run()
    assert not app.exception, [e.value for e in app.exception]
    slide = _slide_html(app)
    assert 'class="present-title"' in slide and "slide 1 of " in slide, page
    assert not app.metric and not app.dataframe  # one finding, not the page
    keys = {b.key for b in app.button}
    assert {"present_first", "present_prev", "present_next", "present_last", "present_exit"} <= keys
    assert next(b for b in app.button if b.key == "present_exit").label.startswith("Exit projector mode")


def test_slide_number_comes_from_and_goes_to_the_url(app):
    app.query_params.update({"present": "1", "year": "2019-20", "slide": "3"})
    app.run()
    assert "slide 3 of 9" in _slide_html(app)
    app.button(key="present_next").click().run()
    assert "slide 4 of 9" in _slide_html(app)
    assert app.query_params["slide"] == "4"
    app.button(key="present_last").click().run()
    assert "slide 9 of 9" in _slide_html(app) and app.query_params["slide"] == "9"
    app.button(key="present_first").click().run()
    assert "slide 1 of 9" in _slide_html(app)


def test_exit_leaves_projector_mode_on_the_same_page(app):
    app.query_params.update({"present": "1", "year": "2019-20"})
    app.run()
    app.button(key="present_exit").click().run()
    assert not _slide_html(app) and len(app.metric) == 9
    assert "present" not in app.query_params and app.sidebar.toggle(key="present_toggle").value is False


def test_a_slide_is_plain_text_whatever_the_data_says():
    from cscp_ui.projector import _t

    assert _t("<b>x</b> & [link](https://evil.example)") == "&lt;b&gt;x&lt;/b&gt; &amp; [link](https://evil.example)"


def _tick_floor(fig) -> float:
    """Where the y axis starts as drawn: an explicit range, else zero when rangemode is tozero."""
    axis = fig.layout.yaxis
    if axis.range is not None:
        return axis.range[0]
    return 0.0 if axis.rangemode == "tozero" else min(v for t in fig.data for v in t.y if v is not None)


def _contrast(hex_colour: str, background: str = "#FFFFFF") -> float:
    """WCAG 2.2 contrast ratio, computed here from the definition (relative luminance of sRGB)."""

    def luminance(h: str) -> float:
        channels = [int(h.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(hex_colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _figures(demo_con):
    from cscp_metrics.scrutiny import league
    from cscp_ui import charts, funnel

    registry = load_registry()
    ind = registry.indicators["re_referral_rate"]
    trend = charts.trend_figure(ind, ["2017-18", "2018-19", "2019-20"], [19.5, 9.5, 8.1], 26)
    frame = pd.DataFrame({"breakdown_value": ["a", "b"], "value": [40.0, 42.0], "suppressed": [False, False]})
    bars = charts.breakdown_figure(ind, frame, "source")
    rate = registry.indicators["referral_rate"]
    points, curves = league.funnel_frame(demo_con, rate, "2019-20")
    return {"trend": trend, "bars": bars, "funnel": funnel._figure(rate, points, curves, "England", 24, slide=True)}


def test_every_chart_measures_counts_and_rates_from_zero(demo_con, monkeypatch):
    from cscp_ui import funnel

    monkeypatch.setattr(funnel, "council", type("C", (), {"name": staticmethod(lambda: "Camden")}))
    for name, fig in _figures(demo_con).items():
        assert _tick_floor(fig) == 0, name  # 8.1 to 19.5 drawn from 8.1 would make a fall of 58% look like 100%


def test_chart_text_is_dark_enough_to_read(demo_con, monkeypatch):
    from cscp_ui import funnel

    monkeypatch.setattr(funnel, "council", type("C", (), {"name": staticmethod(lambda: "Camden")}))
    assert _contrast("#808495") < 4.5  # Streamlit's theme grey for ticks: what the issue measured (3.72:1)
    for name, fig in _figures(demo_con).items():
        colours = [
            fig.layout.font.color,
            fig.layout.xaxis.tickfont.color,
            fig.layout.yaxis.tickfont.color,
            fig.layout.xaxis.title.font.color,
            fig.layout.yaxis.title.font.color,
        ]
        assert all(c is not None and _contrast(c) >= 4.5 for c in colours), (name, colours)
    other_la = funnel.GROUP_STYLE["other LA"][0]
    assert _contrast(other_la) >= 3  # a dot that carries meaning (WCAG 1.4.11)


def test_a_sparkline_draws_a_fall_below_zero_inside_the_picture_under_the_zero_line():
    from cscp_ui import sparkline

    # -6% to +10%: 16 points of height between the bottom (y 44) and the top (y 4), so zero is 6/16 of 40 up
    assert sparkline.points([-6.0, 3.0, 10.0]) == [(4.0, 44.0), (120.0, 21.5), (236.0, 4.0)]
    assert '<line x1="0" y1="29.0"' in sparkline.svg([-6.0, 3.0, 10.0])
    # a series that never falls below zero is drawn from zero at the bottom edge, as before
    assert '<line x1="0" y1="44.0"' in sparkline.svg([6.0, 5.0, 7.0])
    assert sparkline.points([6.0, 5.0, 7.0])[2] == (236.0, 4.0)


def test_a_hidden_year_is_a_gap_in_the_sparkline_not_a_line_across_it():
    from cscp_ui import sparkline

    # six years, the second hidden: x steps of 232 / 5 = 46.4; the first year alone is a dot, the rest one line
    drawn = sparkline.svg([6.0, None, 6.0, 7.0, 6.0, 6.0])
    assert drawn.count("<polyline") == 1 and drawn.count("<circle") == 1
    assert '<circle cx="4.0"' in drawn and 'points="96.8,' in drawn  # the line starts at the third year
    assert sparkline.svg([6.0, 5.0, 7.0]).count("<polyline") == 1


def test_a_hidden_year_on_a_slides_trend_is_a_c_on_the_axis_and_in_its_words():
    from cscp_ui import charts

    ind = load_registry().indicators["cyber_choices_referrals"]
    periods, values, hidden = ["2014-15", "2015-16", "2016-17"], [6.0, None, 6.0], [False, True, False]
    figure = charts.trend_figure(ind, periods, values, 26, hidden)
    marks = figure.data[1]
    assert list(marks.x) == ["2015-16"] and list(marks.text) == ["c"] and list(marks.y) == [3.0]  # half of 6
    assert charts.trend_alt(ind, periods, values, hidden).endswith("hidden for small numbers (c): 2015-16")
    assert len(charts.trend_figure(ind, periods, [6.0, 7.0, 6.0], 26).data) == 1  # nothing hidden: one trace
