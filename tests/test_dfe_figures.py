"""DfE's printed figures shown as printed, benchmarks under their own year, registry rule, areas by name or code."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cscp_metrics.cli.main import app as cli
from cscp_metrics.indicators.engine import compute
from cscp_metrics.indicators.registry import Indicator, check, load_registry

DFE = Path(__file__).resolve().parent.parent.parent / "shared" / "reference-data" / "dfe"
LAC_31_MARCH = ("population_type", "Children looked after on 31 March each year")
PRINTED = (  # indicator, EES file, DfE's printed column, rows it comes from
    ("re_referral_rate", "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv", "rereferral_percent", None),
    ("cp_second_subsequent", "d3_cpps_subsequent_plan_2013_to_2025.csv", "CPP_subsequent_percent", None),
    ("cp_over_2_years", "d5_cpps_at31march_by_duration_2013_to_2025.csv", "2_years_or_more_percent", None),
    ("lac_rate", "cla_number_and_rate_per_10k_children.csv", "rate_per_10000", LAC_31_MARCH),
)


def _printed_england_and_regions() -> pd.DataFrame:
    """DfE's printed values for England and regions, read straight from the EES files."""
    frames = []
    for indicator, file, column, where in PRINTED:
        raw = pd.read_csv(DFE / file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        if where:
            raw = raw[raw[where[0]] == where[1]]
        raw = raw[raw["geographic_level"].isin(["National", "Regional"])]
        year = raw["time_period"].astype(int)
        frames.append(
            pd.DataFrame(
                {
                    "indicator_id": indicator,
                    "period": (year - 1).astype(str) + "-" + (year % 100).map("{:02d}".format),
                    "area_code": raw["country_code"].where(raw["geographic_level"] == "National", raw["region_code"]),
                    "printed": pd.to_numeric(raw[column], errors="coerce"),
                }
            )
        )
    return pd.concat(frames).dropna(subset=["printed"])


@pytest.mark.skipif(not DFE.exists(), reason="../shared not beside this checkout")
def test_england_and_regions_show_the_value_dfe_printed(demo_con):
    printed = _printed_england_and_regions()
    assert len(printed) == 528
    stored = demo_con.execute(
        "SELECT indicator_id, period, area_code, value, numerator, denominator FROM benchmarks "
        "WHERE area_code IN (SELECT area_code FROM areas WHERE level IN ('national', 'region'))"
    ).df()
    both = printed.merge(stored, on=["indicator_id", "period", "area_code"], how="left")
    assert both["value"].notna().all()
    assert (both["value"] == both["printed"]).all(), both[both["value"] != both["printed"]].head().to_string()
    assert both["numerator"].notna().all() and both["denominator"].notna().all()  # counts kept for intervals
    inner = compute(demo_con, "re_referral_rate", "2019-20", area="Inner London").iloc[0]
    assert inner["value"] == 18.3 and inner["lower_ci"] < 18.3 < inner["upper_ci"]
    assert compute(demo_con, "cp_over_2_years", "2023-24", area="England").iloc[0]["value"] == 2.6


def test_report_benchmarks_are_stored_under_their_own_year(demo_con):
    rows = demo_con.execute(
        "SELECT period, area_code, value FROM benchmarks WHERE indicator_id = 'assessments_in_45_days' "
        "ORDER BY area_code"
    ).fetchall()
    assert rows == [("2018-19", "E12000007", 81.0), ("2018-19", "E92000001", 83.0)]
    assert pd.isna(compute(demo_con, "assessments_in_45_days", "2019-20", area="England").iloc[0]["value"])


def test_registry_refuses_a_dfe_reference_without_a_source():
    registry = load_registry()
    for drifted in ("s47_rate", "assessments_in_45_days", "cp_plans_open"):
        assert registry.indicators[drifted].dfe_reference is None
    spec = registry.indicators["s47_rate"].model_copy(update={"dfe_reference": "section 47 enquiries (CIN census)"})
    problems = check(registry.model_copy(update={"indicators": {**registry.indicators, "s47_rate": spec}}))
    assert problems == [
        (
            "indicator s47_rate: dfe_reference 'section 47 enquiries (CIN census)' names no DfE source "
            "(dfe_sources.SOURCES)"
        )
    ]
    assert isinstance(spec, Indicator)


@pytest.mark.parametrize(
    "area,label",
    [
        ("England", "England"),
        ("north east", "North East"),
        ("Inner London", "Inner London"),
        ("E12000001", "North East"),
        ("e13000001", "Inner London"),
        ("sn", "Statistical neighbours"),
        ("e09000033", "Westminster"),
        ("WESTMINSTER", "Westminster"),
    ],
)
def test_metric_area_by_name_or_code(demo_db, area, label):
    result = CliRunner().invoke(
        cli, ["metric", "cp_plan_rate", "--period", "2019-20", "--area", area, "--format", "csv", "--db", str(demo_db)]
    )
    assert result.exit_code == 0, result.output
    assert f",{label}," in result.output.splitlines()[1]


def test_metric_unknown_area_names_close_matches(demo_db):
    result = CliRunner().invoke(cli, ["metric", "cp_plan_rate", "--area", "Westminter", "--db", str(demo_db)])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "unknown area 'Westminter'" in result.output and "Westminster" in result.output
    result = CliRunner().invoke(cli, ["metric", "cp_plan_rate", "--area", "Nowhere at all", "--db", str(demo_db)])
    assert result.exit_code != 0 and "unknown area 'Nowhere at all'" in result.output
