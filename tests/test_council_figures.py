"""Ten councils picked at random: `cscp init` time, and every DfE indicator for 2024-25 in the store against DfE's raw
files read here with the csv module (not the project's import code). Writes tests/artifacts/councils_2024_25.json."""

from __future__ import annotations

import csv
import json
import math
import random
import time
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cscp_metrics.cli.main import app as cli
from cscp_metrics.indicators.engine import compute
from cscp_metrics.store import connection as store

RAW = Path(__file__).resolve().parents[2] / "shared" / "reference-data" / "dfe"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
pytestmark = pytest.mark.skipif(not RAW.exists(), reason="DfE raw files (../shared/reference-data/dfe) not present")
YEAR, TIME_PERIOD, MID_YEAR = "2024-25", "2025", "2024"


@cache
def _rows(file: str) -> tuple[dict[str, str], ...]:
    with open(RAW / file, newline="", encoding="utf-8-sig") as handle:
        return tuple(r for r in csv.DictReader(handle) if r["time_period"] in (TIME_PERIOD, MID_YEAR))


def _cells(file: str, code: str, column: str, **match: str) -> list[str]:
    return [
        r[column]
        for r in _rows(file)
        if r["time_period"] == TIME_PERIOD
        and r["new_la_code"] == code
        and r["geographic_level"] == "Local authority"
        and all(r[k] in v.split("|") for k, v in match.items())
    ]


def _number(cells: list[str]) -> float | None:
    """The sum of the cells, or None when DfE prints none or a symbol (c, x, z...) in any of them."""
    try:
        return sum(float(c) for c in cells) if cells else None
    except ValueError:
        return None


def _population(code: str) -> float | None:
    return _number(
        [
            r["population_estimate"]
            for r in _rows("ons_mid-year_population_estimates_2012_to_2024.csv")
            if r["time_period"] == MID_YEAR and r["new_la_code"] == code
        ]
    )


def _ratio(x: float | None, n: float | None, times: float) -> float | None:
    return None if x is None or not n else x / n * times


def expected(code: str) -> dict[str, tuple[float | None, int | None]]:
    """indicator -> (DfE's value, decimals to compare at): DfE's printed figure where it prints one, else computed
    from its counts by DfE's definition (rates: count / ONS mid-year estimate of the year before x 10,000)."""
    pop = _population(code)
    c1, d3, d5 = (
        "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
        "d3_cpps_subsequent_plan_2013_to_2025.csv",
        "d5_cpps_at31march_by_duration_2013_to_2025.csv",
    )
    lac31 = {"population_type": "Children looked after on 31 March each year"}
    cla31 = {"cla_group": "CLA on 31 March"}
    leavers = {"care_leaver_age": "17 to 18 years|19 to 21 years"}
    activity, suitable = "la_care_leavers_activity.csv", "la_care_leavers_accommodation_suitability.csv"
    stability = "la_cla_placement_stability.csv"

    def printed(file: str, column: str, **match: str) -> tuple[float | None, int | None]:
        cells = _cells(file, code, column, **match)
        value = _number(cells)
        return value, (len(cells[0].split(".")[1]) if value is not None and "." in cells[0] else 0)

    return {
        "referrals": (_number(_cells(c1, code, "referral_count")), 0),
        "referral_rate": (_ratio(_number(_cells(c1, code, "referral_count")), pop, 10_000), 1),
        "re_referral_rate": printed(c1, "rereferral_percent"),
        "cin_rate": (
            _ratio(_number(_cells("b1_children_in_need_2013_to_2025.csv", code, "At31_episodes")), pop, 10_000),
            1,
        ),
        "cp_plan_rate": (_ratio(_number(_cells(d5, code, "CPP_At31")), pop, 10_000), 1),
        "cp_starts_rate": (_ratio(_number(_cells(d3, code, "CPP_start")), pop, 10_000), 1),
        "cp_second_subsequent": printed(d3, "CPP_subsequent_percent"),
        "cp_over_2_years": printed(d5, "2_years_or_more_percent"),
        "neglect_at_assessment": (
            _ratio(
                _number(_cells("c3_factors_identified_at_end_of_assessment_2018_to_2025.csv", code, "Neglect")),
                _number(
                    _cells(
                        "c3_factors_identified_at_end_of_assessment_2018_to_2025.csv",
                        code,
                        "Episodes_with_assessment_factor",
                    )
                ),
                100,
            ),
            1,
        ),
        "lac": printed("cla_number_and_rate_per_10k_children.csv", "children_count", **lac31),
        "lac_rate": printed("cla_number_and_rate_per_10k_children.csv", "rate_per_10000", **lac31),
        "lac_3_plus_moves": printed(
            stability, "children_percent", placement_stability="With 3 or more placements during the year", **cla31
        ),
        "care_leavers_eet": (
            _ratio(
                _number(
                    _cells(
                        activity,
                        code,
                        "care_leaver_count",
                        breakdown="Total in education, employment or training",
                        **leavers,
                    )
                ),
                _number(_cells(activity, code, "care_leaver_count", breakdown="Total", **leavers)),
                100,
            ),
            1,
        ),
        "care_leavers_suitable_accommodation": (
            _ratio(
                _number(
                    _cells(
                        suitable, code, "care_leaver_count", breakdown="Accommodation considered suitable", **leavers
                    )
                ),
                _number(_cells(suitable, code, "care_leaver_count", breakdown="Suitability total", **leavers)),
                100,
            ),
            1,
        ),
    }


def _councils() -> list[str]:
    codes = sorted(
        {
            r["new_la_code"]
            for r in _rows("c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv")
            if r["time_period"] == TIME_PERIOD and r["geographic_level"] == "Local authority"
        }
    )
    return random.Random(20260331).sample(codes, 10)


def _same(ours: float, theirs: float, decimals: int) -> bool:
    """Equal at DfE's printed precision (half away from zero, as DfE rounds)."""
    scale = 10**decimals
    return math.floor(ours * scale + 0.5 + 1e-9) / scale == round(theirs, decimals)


def test_every_dfe_indicator_for_2024_25_equals_the_raw_files_for_ten_random_councils(tmp_path):
    report, mismatches = [], []
    for code in _councils():
        path = tmp_path / f"{code}.duckdb"
        started = time.perf_counter()
        result = CliRunner().invoke(cli, ["init", "--la", code, "--db", str(path)])
        seconds = time.perf_counter() - started
        assert result.exit_code == 0, result.output
        con = store.connect(path, read_only=True)
        checked = {}
        for indicator, (theirs, decimals) in expected(code).items():
            row = compute(con, indicator, YEAR).iloc[0]
            ours = None if row["value"] is None or math.isnan(float(row["value"])) else float(row["value"])
            ok = (ours is None) if theirs is None else ours is not None and _same(ours, theirs, decimals or 0)
            checked[indicator] = {
                "ours": ours,
                "dfe": theirs,
                "decimals": decimals,
                "match": ok,
                "source": row["source"],
            }
            if not ok:
                mismatches.append((code, indicator, ours, theirs))
        con.close()
        report.append(
            {
                "code": code,
                "name": result.output.split(" (")[0],
                "init_seconds": round(seconds, 2),
                "matches": sum(c["match"] for c in checked.values()),
                "total": len(checked),
                "checked": checked,
            }
        )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "councils_2024_25.json").write_text(json.dumps(report, indent=2, default=str))
    assert not mismatches, mismatches
    assert all(r["total"] == 14 for r in report)
