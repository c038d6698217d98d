"""The engine on hand-made data and on the demo, against hand calculations and DfE figures."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from scipy.stats import binomtest

from cscp_metrics.indicators.engine import compute
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
