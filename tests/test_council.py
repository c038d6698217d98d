"""`cscp init`: any English council from the DfE extract, checked against DfE's raw files read here with csv."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cscp_metrics.cli.main import app as cli
from cscp_metrics.indicators.engine import compute
from cscp_metrics.store import connection as store
from cscp_metrics.store import years as store_years

RAW = Path(__file__).resolve().parents[2] / "shared" / "reference-data" / "dfe"
needs_raw = pytest.mark.skipif(not RAW.exists(), reason="DfE raw files (../shared/reference-data/dfe) not present")


def _raw_rows(file: str, **match: str) -> list[dict[str, str]]:
    with open(RAW / file, newline="", encoding="utf-8-sig") as handle:
        return [r for r in csv.DictReader(handle) if all(r.get(k) == v for k, v in match.items())]


@pytest.fixture(scope="module")
def kent_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("kent") / "kent.duckdb"
    result = CliRunner().invoke(cli, ["init", "--la", "kent", "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _metric(db: Path, indicator: str, period: str, *extra: str) -> dict:
    result = CliRunner().invoke(
        cli, ["metric", indicator, "--period", period, "--db", str(db), "--format", "json", *extra]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)[0]


def _settings(db: Path) -> dict[str, str]:
    con = store.connect(db, read_only=True)
    try:
        return dict(con.execute("SELECT key, value FROM settings").fetchall())
    finally:
        con.close()


@pytest.mark.parametrize("given", ["E10000016", "e10000016", "KENT", " Kent "])
def test_init_finds_the_council_by_code_or_name_in_any_case(tmp_path, given):
    path = tmp_path / "s.duckdb"
    result = CliRunner().invoke(cli, ["init", "--la", given, "--db", str(path)])
    assert result.exit_code == 0, result.output
    settings = _settings(path)
    assert (settings["area_code"], settings["area_name"], settings["region_name"]) == (
        "E10000016",
        "Kent",
        "South East",
    )
    assert settings["inner_outer_code"] == ""


def test_unknown_council_lists_close_matches_exits_non_zero_and_stores_nothing(tmp_path):
    path = tmp_path / "s.duckdb"
    result = CliRunner().invoke(cli, ["init", "--la", "Kentt", "--db", str(path)])
    assert result.exit_code != 0
    assert "'Kentt'" in result.output and "Did you mean: Kent" in result.output
    assert "Traceback" not in result.output and not path.exists()


def test_init_refuses_an_existing_store_without_force_and_replaces_it_with(tmp_path, kent_db):
    path = tmp_path / "s.duckdb"
    path.write_bytes(kent_db.read_bytes())
    refused = CliRunner().invoke(cli, ["init", "--la", "Camden", "--db", str(path)])
    assert refused.exit_code == 1 and "--force" in refused.output
    assert _settings(path)["area_name"] == "Kent"
    replaced = CliRunner().invoke(cli, ["init", "--la", "Camden", "--db", str(path), "--force"])
    assert replaced.exit_code == 0, replaced.output
    settings = _settings(path)
    assert (settings["area_name"], settings["region_code"], settings["inner_outer_code"]) == (
        "Camden",
        "E12000007",
        "E13000001",
    )


def test_a_reorganised_council_name_means_the_current_council():
    """'North Yorkshire' is both the old county (E10000023, to 2022-23) and the new unitary (E06000065)."""
    con = store.connect(":memory:")
    from cscp_metrics import council
    from cscp_metrics.store import benchmarks

    benchmarks.import_extract(con)
    assert council.find(con, "North Yorkshire").code == "E06000065"
    assert council.find(con, "E10000023").name == "North Yorkshire"
    assert council.find(con, "886").code == "E10000016"  # DfE's LA number


@needs_raw
def test_cp_plan_rate_and_re_referral_rate_equal_dfe_for_the_council(kent_db):
    plans = _raw_rows("d5_cpps_at31march_by_duration_2013_to_2025.csv", time_period="2025", new_la_code="E10000016")
    population = _raw_rows(
        "ons_mid-year_population_estimates_2012_to_2024.csv", time_period="2024", new_la_code="E10000016"
    )
    expected = round(int(plans[0]["CPP_At31"]) / float(population[0]["population_estimate"]) * 10_000, 1)
    shown = _metric(kent_db, "cp_plan_rate", "2024-25")
    assert round(shown["value"], 1) == expected
    assert shown["area"] == "Kent" and shown["source"].startswith("DfE published")
    printed = _raw_rows(
        "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv", time_period="2025", new_la_code="E10000016"
    )[0]["rereferral_percent"]
    assert round(_metric(kent_db, "re_referral_rate", "2024-25")["value"], 1) == float(printed)


@needs_raw
def test_statistical_neighbours_are_the_2025_model_in_rank_order(kent_db):
    row = _raw_rows("sn_model_2025_wide.csv", old_la_code="886")[0]
    names = {r["old_la_code"]: r["la_name"] for r in _raw_rows("sn_model_2025_wide.csv")}
    expected = [names[row[f"SN_{rank}"].strip()] for rank in range(1, 11)]
    con = store.connect(kent_db, read_only=True)
    from cscp_metrics.indicators import areas

    codes = areas.neighbours(con, "E10000016")
    shown = [areas.area_label(con, c) for c in codes]
    con.close()
    assert shown == expected and len(set(codes)) == 10


def test_a_council_the_2025_model_does_not_cover_falls_back_to_2021_with_a_note(tmp_path):
    path = tmp_path / "cumbria.duckdb"
    result = CliRunner().invoke(cli, ["init", "--la", "Cumbria", "--db", str(path)])
    assert result.exit_code == 0, result.output
    settings = _settings(path)
    assert settings["sn_model"] == "2021" and "2021 groupings" in settings["sn_note"]
    assert "2021 groupings" in result.output
    assert _metric(path, "cp_plan_rate", "2022-23", "--area", "sn")["source"] == "DfE, 2021 statistical neighbours"


def test_years_come_from_the_store_and_default_to_the_latest(kent_db, demo_con):
    con = store.connect(kent_db, read_only=True)
    assert store_years.years(con) == [f"{y}-{(y + 1) % 100:02d}" for y in range(2012, 2025)]
    assert store_years.local_years(con) == [] and store_years.default_year(con) == "2024-25"
    con.close()
    assert store_years.default_year(demo_con) == "2019-20"
    assert "2024-25" in store_years.years(demo_con) and "2019-20" in store_years.local_years(demo_con)


def test_the_demo_has_dfe_figures_to_2024_25_for_camden_and_every_comparator(demo_con):
    own = compute(demo_con, "cp_plan_rate", "2024-25").iloc[0]
    assert own["area"] == "Camden" and own["source"].startswith("DfE published") and own["value"] > 0
    for area in ("England", "London", "Inner London", "sn"):
        assert compute(demo_con, "cp_plan_rate", "2024-25", area=area).iloc[0]["value"] > 0, area
    local = compute(demo_con, "cp_plan_rate", "2019-20").iloc[0]
    assert local["source"].startswith("local") and round(local["value"], 1) == 51.3  # the report's own base


def test_local_records_take_over_from_dfe_for_the_years_they_cover(tmp_path, kent_db):
    path = tmp_path / "s.duckdb"
    path.write_bytes(kent_db.read_bytes())
    rows = "".join(f"C{i},R{i},2024-{5 + i % 6:02d}-1{i % 9},police\n" for i in range(40))
    (tmp_path / "referrals.csv").write_text("child_id,referral_id,referral_date,source\n" + rows)
    result = CliRunner().invoke(
        cli, ["load", "--table", "referrals", str(tmp_path / "referrals.csv"), "--db", str(path)]
    )
    assert result.exit_code == 0, result.output
    local = _metric(path, "referrals", "2024-25")
    assert (local["value"], local["source"]) == (40, "local: local_authority")
    dfe = _metric(path, "referrals", "2023-24")
    assert dfe["source"].startswith("DfE published") and dfe["value"] > 20_000


@needs_raw
def test_tile_trends_take_dfe_figures_for_years_without_local_records(demo_con):
    from cscp_metrics.indicators.periods import parse_period
    from cscp_metrics.indicators.registry import load_registry
    from cscp_metrics.indicators.summary import yearly_trend

    trend = yearly_trend(demo_con, load_registry().indicators["referrals"], parse_period("2024-25"), public=True)
    raw = {
        f"{int(r['time_period']) - 1}-{r['time_period'][2:]}": float(r["referral_count"])
        for r in _raw_rows("c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv", new_la_code="E09000007")
    }
    shown = dict(zip(trend["period"], trend["value"]))
    assert [shown[y] for y in ("2021-22", "2022-23", "2023-24", "2024-25")] == [
        raw[y] for y in ("2021-22", "2022-23", "2023-24", "2024-25")
    ]
    assert shown["2019-20"] == 1475  # local records where they exist (the report's figure, not DfE's 1,499)


def test_a_rate_trend_is_on_one_population_base_and_says_which_years_are_dfe_published(demo_con):
    from cscp_metrics.indicators.summary import tile
    from cscp_metrics.ready import tiles

    dfe_base = dict(
        demo_con.execute(
            "SELECT period, denominator FROM benchmarks WHERE indicator_id = 'referral_rate' AND area_code = 'E09000007'"
        ).fetchall()
    )
    latest = tile(demo_con, "referral_rate", "2023-24", "england", public=False)  # DfE's figure: no local records
    shown = dict(zip(latest.trend["period"], latest.trend["value"]))
    # local records' referrals (the report's 1,394 and 1,475) per 10,000 of DfE's population for the year, as the
    # big number is, not of the partnership's own base of 49,275 (282.9 and 299.3)
    assert shown["2018-19"] == pytest.approx(1394 / dfe_base["2018-19"] * 10_000)
    assert shown["2019-20"] == pytest.approx(1475 / dfe_base["2019-20"] * 10_000)
    assert shown["2023-24"] == pytest.approx(2241 / dfe_base["2023-24"] * 10_000)
    assert tile(demo_con, "referral_rate", "2019-20", "england", False).value == pytest.approx(shown["2019-20"])
    assert latest.trend_note == (
        "Trend years: local case records on DfE's population base for 2018-19 to 2020-21; DfE's published figures "
        "for 2021-22 to 2023-24"
    )
    assert tiles.from_json(tiles.to_json(latest)).trend_note == latest.trend_note  # as a page reads it when stored
    assert tile(demo_con, "referral_rate", "2019-20", "england", False).trend_note == ""
    hidden_or_not = tile(demo_con, "referral_rate", "2023-24", "england", public=True)
    assert hidden_or_not.trend["value"].tolist() == latest.trend["value"].tolist()  # the same base in both views
    # with no comparator a rate DfE publishes is still on DfE's base: one base for every year, as beside England
    bare = tile(demo_con, "referral_rate", "2023-24", "none", public=False)
    plain = dict(zip(bare.trend["period"], bare.trend["value"]))
    assert plain["2018-19"] == pytest.approx(1394 / dfe_base["2018-19"] * 10_000) and plain["2023-24"] == pytest.approx(
        2241 / dfe_base["2023-24"] * 10_000
    )
    assert bare.trend_note == latest.trend_note


def test_trend_sources_name_each_run_of_years_in_order():
    import pandas as pd

    from cscp_metrics.indicators.summary import trend_sources

    trend = pd.DataFrame(
        {
            "period": ["2016-17", "2017-18", "2018-19", "2019-20", "2020-21"],
            "value": [1.0, None, 2.0, None, 3.0],
            "suppressed": [False, False, False, True, False],
            "published": [True, True, False, True, True],
        }
    )
    assert trend_sources(trend) == (
        "Trend years: DfE's published figures for 2016-17; local case records for 2018-19; "
        "DfE's published figures for 2019-20 to 2020-21"
    )


def test_app_on_a_council_store_opens_on_its_latest_year_with_its_comparators(kent_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CSCP_DB", str(kent_db))
    app = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=300)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == "Are children in Kent safe? Overview"
    year = app.sidebar.selectbox(key="w_year")
    assert year.value == "2024-25" and year.options[0] == "2012-13"
    assert app.sidebar.selectbox(key="w_cmp").options == ["England", "South East", "Statistical neighbours"]
    assert not [r for r in app.sidebar.radio if r.key == "w_q"]  # no local records: whole years only
    shown = {m.label: m.value for m in app.metric}
    assert shown["Children on a child protection plan per 10,000"] == "32.4"
    assert shown["Children who went missing"] == "no data"
    assert any(t.value == "No records loaded yet from Police for 2024-25." for t in app.text)
    app.switch_page("pages/youth-violence.py")
    app.run()
    assert app.title[0].value == "Youth violence: Kent"
    assert "No figures for 2024-25 on this page yet" in app.info[0].value and "Police" in app.info[0].value


@needs_raw
def test_refreshing_dfe_figures_keeps_the_council_settled_and_the_demo_base(demo_copy):
    result = CliRunner().invoke(cli, ["benchmarks", "import", str(RAW), "--db", str(demo_copy)])
    assert result.exit_code == 0, result.output
    con = store.connect(demo_copy, read_only=True)
    from cscp_metrics.indicators import areas

    codes = areas.neighbours(con, "E09000007")
    bases = con.execute("SELECT DISTINCT population FROM population WHERE source = 'partnership'").fetchall()
    con.close()
    assert len(codes) == len(set(codes)) == 10  # the raw 2025 file joins twice where old and new share a number
    assert bases == [(49_275.0,)]  # the report's own base survives the refresh


@needs_raw
def test_where_to_look_on_dfe_years_flags_a_run_across_the_published_years(kent_db):
    """Kent's children in need rate: the XmR chart of 2012-13 to 2024-25 computed here from the raw files."""
    from cscp_metrics.scrutiny.where_to_look import find

    pops = {
        r["time_period"]: float(r["population_estimate"])
        for r in _raw_rows("ons_mid-year_population_estimates_2012_to_2024.csv", new_la_code="E10000016")
    }
    rates = [
        int(r["At31_episodes"]) / pops[str(int(r["time_period"]) - 1)] * 10_000
        for r in sorted(
            _raw_rows("b1_children_in_need_2013_to_2025.csv", new_la_code="E10000016"), key=lambda r: r["time_period"]
        )
    ]
    mean = sum(rates) / len(rates)
    moving = sum(abs(a - b) for a, b in zip(rates[1:], rates)) / (len(rates) - 1)
    assert len(rates) == 13 and all(r > mean for r in rates[-7:])  # a run of 7 above the average
    con = store.connect(kent_db, read_only=True)
    found = find(con, "2024-25")
    from cscp_metrics.indicators.summary import tile

    assert tile(con, "cin_rate", "2024-25", "england", True).spc == "special cause (high) over 13 DfE years"
    con.close()
    spc = [s for s in found if s.kind == "spc" and s.indicator_id == "cin_rate"]
    assert len(spc) == 1 and "run of 7 or more years" in spc[0].sentence
    assert f"limits {mean - 2.66 * moving:,.1f} to {mean + 2.66 * moving:,.1f}, 13 years" in spc[0].sentence
    kinds = {s.kind for s in found}
    assert {"significance", "funnel", "change", "spc"} <= kinds and "reconciliation" not in kinds
    assert any("South East" in s.sentence for s in found) and not any("London" in s.sentence for s in found)


def test_a_figure_dfe_published_is_named_so_and_a_local_one_as_local_records(kent_db, demo_con):
    from cscp_metrics.indicators.summary import tile
    from cscp_metrics.scrutiny.where_to_look import find

    con = store.connect(kent_db, read_only=True)
    try:
        kent = tile(con, "re_referral_rate", "2024-25", "england", True)
        signals = [s.sentence for s in find(con, "2024-25", public=True) if s.sentence.startswith("Re-referrals")]
    finally:
        con.close()
    # Kent's own re-referrals are DfE's figure (no local record in a store `cscp init` built): 5,194 of 24,035
    assert kent.sentence.startswith(
        "Re-referrals within 12 months, 2024-25: 21.6% (5,194 of 24,035) in DfE's published"
    )
    assert "local case records" not in kent.sentence
    assert signals and all("local case records" not in s for s in signals)
    camden = tile(demo_con, "re_referral_rate", "2019-20", "england", True)
    assert "(119 of 1,475) in local case records," in camden.sentence  # the partnership's own records


@needs_raw
def test_a_figure_is_never_shown_more_precisely_than_dfe_printed_it(kent_db):
    """DfE prints looked after children per 10,000 as whole numbers (Kent 53, England 67 at 31 March 2025): the tile
    read 53.0 against 67.0, as if DfE had printed a decimal (1,896 / 355,390 children is 53.4)."""
    from cscp_metrics.indicators.registry import load_registry
    from cscp_metrics.indicators.summary import tile
    from cscp_metrics.scrutiny import league

    with open(RAW / "cla_number_and_rate_per_10k_children.csv", encoding="utf-8-sig") as handle:
        rows = [
            r
            for r in csv.DictReader(handle)
            if r["time_period"] == "2025"
            and r["new_la_code"] in ("E10000016", "")
            and r["geographic_level"] in ("Local authority", "National")
            and r["population_type"] == "Children looked after on 31 March each year"
        ]
    printed = {r["geographic_level"]: r["rate_per_10000"] for r in rows if r["rate_per_10000"]}
    assert printed["Local authority"].isdigit() and printed["National"].isdigit()  # whole numbers in DfE's file
    con = store.connect(kent_db, read_only=True)
    try:
        kent = tile(con, "lac_rate", "2024-25", "england", True)
    finally:
        con.close()
    assert kent.value_text == printed["Local authority"]
    assert f"England ({printed['National']})" in kent.sentence
    lac_rate = load_registry().indicators["lac_rate"]
    assert league.figure_text(float(printed["National"]), lac_rate) == printed["National"]  # the funnel, too
