"""The engine on hand-made data and on the demo, against hand calculations and DfE figures."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest
from scipy.stats import binomtest

from cscp_metrics.indicators.engine import compute
from cscp_metrics.indicators.no_data import reason
from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.store.loading import load_file


def test_the_engines_text_columns_are_python_strings(empty_store, tmp_path):
    """cscp_metrics/pandas_strings.py: pandas 3's Arrow strings made a publish 40% slower; importing the core
    keeps text as Python strings, in its frames and in the frames DuckDB hands it."""
    (tmp_path / "refs.csv").write_text("child_id,referral_id,referral_date,source\nA,A1,2019-06-15,police\n")
    assert load_file(empty_store, "referrals", tmp_path / "refs.csv").ok
    frame = compute(empty_store, "referrals", "2019-20", breakdown="source")
    assert frame["indicator_id"].dtype == object and frame["breakdown_value"].tolist() == ["police"]
    assert empty_store.execute("SELECT 'x' AS t").df()["t"].dtype == object


def test_re_referral_follows_the_dfe_twelve_month_rule(empty_store, tmp_path):
    (tmp_path / "refs.csv").write_text(
        "child_id,referral_id,referral_date,source\n"
        "A,A1,2018-06-15,police\nA,A2,2019-06-15,police\n"  # on the same date 12 months later: re-referral
        "B,B1,2018-06-14,school\nB,B2,2019-06-15,school\n"  # a day more than 12 months: not
        "C,C1,2019-02-01,health\nC,C2,2019-05-01,health\nC,C3,2019-08-01,health\n"  # earlier year counts: 2 re-referrals
        "D,D1,2019-07-01,other\n"
    )
    assert load_file(empty_store, "referrals", tmp_path / "refs.csv").ok
    row = compute(empty_store, "re_referral_rate", "2019-20").iloc[0]
    assert (row["numerator"], row["denominator"]) == (3, 5)
    ci = binomtest(3, 5).proportion_ci(method="wilson")
    assert row["value"] == pytest.approx(60.0)
    assert row["lower_ci"] == pytest.approx(ci.low * 100) and row["upper_ci"] == pytest.approx(ci.high * 100)
    assert row["area"] == "the partnership"


def test_demo_headlines(demo_con):
    assert compute(demo_con, "referrals", "2019-20")["value"].iloc[0] == 1475
    row = compute(demo_con, "re_referral_rate", "2019-20").iloc[0]
    assert (row["numerator"], row["denominator"], round(row["value"], 1)) == (119, 1475, 8.1)
    assert round(compute(demo_con, "cp_plan_rate", "2019-20")["value"].iloc[0], 1) == 51.3
    quarters = sum(compute(demo_con, "referrals", f"2019-20-Q{q}")["value"].iloc[0] for q in range(1, 5))
    assert quarters == 1475


def test_a_plan_open_two_years_has_no_figure_until_the_records_reach_back_two_years(demo_con):
    """The demo's plans start on 2 April 2013: none can have been open two years at 31 March 2015, so 2014-15 has
    no figure (not 0.0%); from 2015-16 the count is the plans open at the year's end that started 2 years before."""
    assert demo_con.execute("SELECT min(start_date) FROM cp_plans").fetchone()[0] == date(2013, 4, 2)
    for period in ("2014-15", "2014-15-Q4"):
        assert compute(demo_con, "cp_over_2_years", period)["numerator"].isna().all()
    by_hand = demo_con.execute(
        "SELECT count(DISTINCT child_id) FROM cp_plans WHERE start_date <= DATE '2014-03-31' "
        "AND (end_date IS NULL OR end_date > DATE '2016-03-31')"
    ).fetchone()[0]
    row = compute(demo_con, "cp_over_2_years", "2015-16").iloc[0]
    assert row["numerator"] == by_hand > 0
    assert (
        demo_con.execute("SELECT count(*) FROM measure_aggregates WHERE measure_id = 'cp_open_2_years'").fetchone()[0]
        == 0
    )  # never read from the aggregates, which know nothing of the look-back
    population = load_registry().indicators["population_0_17"]  # a reference that is not a measure of records
    assert reason(demo_con, population, "2030-31").startswith("No records loaded yet")
    ind = load_registry().indicators["cp_over_2_years"]
    assert reason(demo_con, ind, "2014-15") == (
        "The records from Children's social care and early help start on 2 April 2013: counting children on a plan "
        "for 2 years or more at 31 March 2015 needs records from 2 years before."
    )


def test_a_one_off_context_measure_has_only_the_year_the_report_printed(demo_con):
    """Low income is a 2016 measure the report printed once (29%): the demo draws no other years for it, so where
    to look cannot test a change on years nobody published."""
    assert round(compute(demo_con, "children_low_income", "2019-20")["value"].iloc[0]) == 29
    for year in ("2018-19", "2020-21"):
        assert compute(demo_con, "children_low_income", year)["value"].isna().all(), year


@pytest.mark.parametrize("area,expected", [("England", 43.7), ("Inner London", 40.1), ("E09000007", 70.0)])
def test_cp_plan_rate_on_dfe_basis(demo_con, area, expected):
    row = compute(demo_con, "cp_plan_rate", "2019-20", area=area, basis="dfe").iloc[0]
    assert round(row["value"], 1) == expected
    assert row["value"] == pytest.approx(row["numerator"] / row["denominator"] * 10_000)


def test_drill_filters_narrow_the_breakdown(demo_con):
    months = compute(demo_con, "referrals", "2019-20", breakdown="month", where={"source": "police"})
    assert months["value"].sum() == 501 and len(months) == 12


def test_cli_metric_json(demo_db):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "cscp_metrics.cli",
            "metric",
            "re_referral_rate",
            "--period",
            "2019-20",
            "--format",
            "json",
            "--db",
            str(demo_db),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    record = json.loads(out.stdout)[0]
    assert round(record["value"], 1) == 8.1
    for key in (
        "indicator_id",
        "period",
        "area",
        "breakdown",
        "numerator",
        "denominator",
        "value",
        "lower_ci",
        "upper_ci",
        "unit",
        "suppressed",
    ):
        assert key in record


def test_cli_figures_check_passes_on_demo(demo_db):
    out = subprocess.run(
        [sys.executable, "-m", "cscp_metrics.cli", "figures", "check", "--db", str(demo_db)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout[-2000:]
    assert "0 mismatches of 154 figures" in out.stdout


def test_an_age_breakdown_reads_youngest_first_not_by_size(demo_con):
    from cscp_metrics.indicators.summary import breakdown

    bands = breakdown(demo_con, "referrals", "2019-20", "age_band", {}, True)["breakdown_value"].tolist()
    assert [b for b in bands if b != "not recorded"] == ["under 1", "1-4", "5-9", "10-15", "16+"]
