"""Funnel plot: bands against the spec's limits around the pooled value, rank labels by polarity, `cscp funnel` JSON."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from scipy.stats import chi2
from typer.testing import CliRunner

from cscp_metrics.cli.main import app as cli
from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.scrutiny import league

REG = load_registry()
DFE = Path(__file__).resolve().parent.parent.parent / "shared" / "reference-data" / "dfe"
D5 = "d5_cpps_at31march_by_duration_2013_to_2025.csv"
BANDS = {"above 99.8%", "above 95%", "within 95%", "below 95%", "below 99.8%"}


def _raw(file: str) -> pd.DataFrame:
    return pd.read_csv(DFE / file, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _expected_band(value: float, n: float, centre: float, multiplier: float, statistic: str) -> str:
    """The band by hand: the value against the Wilson (proportions, the spec's formula) or exact Poisson (rates,
    scipy's chi-squared) 95% and 99.8% intervals for the centre's expected count at the LA's own size."""
    x, limits = centre / multiplier * n, {}
    for tag, z, alpha in (("95", 1.959964, 0.05), ("998", 3.090232, 0.002)):
        if statistic == "proportion":
            root = z * math.sqrt(z**2 + 4 * x * (1 - x / n))
            low, high = (2 * x + z**2 - root) / (2 * (n + z**2)), (2 * x + z**2 + root) / (2 * (n + z**2))
        else:
            low = chi2.ppf(alpha / 2, 2 * x) / 2 / n if x > 0 else 0.0
            high = chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2 / n
        limits[tag] = (low * multiplier, high * multiplier)
    if value > limits["998"][1]:
        return "above 99.8%"
    if value < limits["998"][0]:
        return "below 99.8%"
    if value > limits["95"][1]:
        return "above 95%"
    if value < limits["95"][0]:
        return "below 95%"
    return "within 95%"


@pytest.mark.skipif(not DFE.exists(), reason="../shared not beside this checkout")
def test_the_centre_is_every_las_count_over_every_las_denominator(demo_con):
    """England's count over England's denominator as DfE's file prints them (1,100 of 51,510 plans lasting 2 years
    or more, 2019-20): the pool of every LA, those DfE prints as c among them, not England's rounded 2.1."""
    raw = _raw(D5)
    england = raw[(raw.geographic_level == "National") & (raw.time_period == "2020")].iloc[0]
    count, plans = float(england["2_years_or_more"]), float(england["CPP_At31"])
    points, curves = league.funnel_frame(demo_con, REG.indicators["cp_over_2_years"], "2019-20")
    assert curves["centre"].iloc[0] == pytest.approx(100 * count / plans) and (count, plans) == (1_100, 51_510)
    # the spec's Wilson limits put a zero of 21 (Rutland) below the 99.8% line although P(X = 0) = 0.98^21 = 0.64:
    # said in the README; the table beside the chart shows it is none of 21
    rutland = points.set_index("name").loc["Rutland"]
    assert (rutland["numerator"], rutland["denominator"], rutland["band"]) == (0, 21, "below 99.8%")
    assert _expected_band(0.0, 21, 100 * count / plans, 100, "proportion") == "below 99.8%"
    # 61 LAs have no count in DfE's file (c, or no plans to count from: City of London prints 0.0 with none):
    # ranked among the 90, and said so
    text = league.headline(REG.indicators["cp_over_2_years"], points, "2019-20", curves["centre"].iloc[0])
    listed = raw[(raw.geographic_level == "Local authority") & (raw.time_period == "2020")]
    counts = pd.to_numeric(listed["2_years_or_more"], errors="coerce")  # c, or no row of plans to count from
    unpublished = int((counts.isna() | (pd.to_numeric(listed["CPP_At31"], errors="coerce").fillna(0) <= 0)).sum())
    assert unpublished > 50 and f"rank {len(points)} of {len(points)} LAs (rank 1 = lowest, the best). " in text
    assert (
        f"Ranked among the {len(points)} LAs with a figure shown; {unpublished} more have no count in DfE's file"
    ) in text


@pytest.mark.parametrize("indicator", ["cp_over_2_years", "re_referral_rate", "cp_plan_rate", "referral_rate"])
def test_every_band_is_the_value_against_the_specs_limits_at_its_size(demo_con, indicator):
    ind = REG.indicators[indicator]
    points, curves = league.funnel_frame(demo_con, ind, "2019-20")
    centre = curves["centre"].iloc[0]
    assert len(points) > 80
    for _, row in points.iterrows():
        expected = _expected_band(row["value"], row["denominator"], centre, ind.multiplier, ind.statistic)
        assert row["band"] == expected, row["name"]
    assert not points[points["band"].str.endswith("99.8%")].empty


def test_becoming_subject_is_above_95_not_99_8_by_the_specs_limits(demo_con):
    """Camden's 69.0 per 10,000 (266 / 38,566), 2019-20: the exact Poisson 99.8% upper limit around England's
    66,380 / 11,790,492 at 38,566 children is 69.1, so above the 95% line only (the old exact tail test said 99.8%)."""
    ind = REG.indicators["cp_starts_rate"]
    points, curves = league.funnel_frame(demo_con, ind, "2019-20")
    camden = points[points["group"] == "partnership"].iloc[0]
    centre = 66_380 / 11_790_492 * 10_000
    assert curves["centre"].iloc[0] == pytest.approx(centre)
    upper = chi2.ppf(0.999, 2 * centre / 10_000 * camden["denominator"] + 2) / 2 / camden["denominator"] * 10_000
    assert camden["value"] < upper and camden["band"] == "above 95%"


def test_limit_lines_agree_with_the_bands(demo_con):
    """A dot beyond a line is exactly a council whose band says so."""
    ind = REG.indicators["cp_second_subsequent"]
    points, curves = league.funnel_frame(demo_con, ind, "2019-20")
    from cscp_metrics.stats.funnel import funnel_limits

    at = funnel_limits(curves["centre"].iloc[0], points["denominator"].to_numpy(), ind.statistic, ind.multiplier)
    value = points["value"]  # the dot is drawn at DfE's printed value, and its band is read there
    above = value.to_numpy() > at["upper_998"].to_numpy()
    below = value.to_numpy() < at["lower_998"].to_numpy()
    assert (above == (points["band"] == "above 99.8%").to_numpy()).all()
    assert (below == (points["band"] == "below 99.8%").to_numpy()).all()


def test_rank_label_follows_polarity(demo_con):
    worse_high = REG.indicators["cp_over_2_years"]  # low is good: rank 1 is the lowest
    points, curves = league.funnel_frame(demo_con, worse_high, "2019-20")
    camden = points[points["group"] == "partnership"].iloc[0]
    assert camden["value"] == 10.7 and camden["value"] == points["value"].max()
    assert (camden["rank"], camden["rank_of"]) == (len(points), len(points))
    assert points.loc[points["value"].idxmin(), "rank"] == 1
    text = league.headline(worse_high, points, "2019-20", curves["centre"].iloc[0])
    assert f"rank {len(points)} of {len(points)} LAs (rank 1 = lowest, the best)" in text
    assert "(best)" not in text
    neutral = REG.indicators["cp_plan_rate"]
    points, curves = league.funnel_frame(demo_con, neutral, "2019-20")
    text = league.headline(neutral, points, "2019-20", curves["centre"].iloc[0])
    assert "rank 1 = highest)" in text and "best" not in text and "worst" not in text
    assert points.loc[points["value"].idxmax(), "rank"] == 1
    assert league.rank_of(pd.Series([5.0, 1.0, 3.0, 9.0]), 3.0, "low_is_good") == (2, 4, 2)
    assert league.rank_of(pd.Series([5.0, 1.0, 3.0, 9.0]), 9.0, "high_is_good") == (1, 4, 1)


def test_funnel_offers_only_indicators_with_data_for_the_year(demo_con):
    offered = {i.id for i in league.funnel_indicators(demo_con, REG, "2019-20")}
    assert {"re_referral_rate", "cp_over_2_years", "cp_plan_rate"} <= offered
    assert not offered & {"s47_rate", "assessments_in_45_days", "lac_rate", "care_leavers_eet"}  # none for 2019-20
    assert "lac_rate" in {i.id for i in league.funnel_indicators(demo_con, REG, "2023-24")}


@pytest.mark.skipif(not DFE.exists(), reason="../shared not beside this checkout")
def test_funnel_figures_are_at_dfes_precision_whatever_the_tiles(demo_db):
    """Assessments identifying neglect is a whole percent on its tile (as the annual report printed it); on the
    funnel DfE's 163 of 1,309 (12.45%) read 12% while the table and DfE's spreadsheet read 12.5."""
    result = CliRunner().invoke(
        cli, ["funnel", "neglect_at_assessment", "--period", "2019-20", "--format", "json", "--db", str(demo_db)]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    camden = next(a for a in out["areas"] if a["area_code"] == "E09000007")
    assert (camden["numerator"], camden["denominator"]) == (163, 1309)
    assert f"DfE's figure {100 * 163 / 1309:.1f}%," in out["headline"]  # 12.5%
    assert f"all LAs pooled {out['centre']:.1f}%" in out["centre_label"]
    # the local 169 of 1,300 at the same precision, so the two read as two figures: 13.0%, not 13%
    assert out["own_figure"].startswith(f"The partnership's own figure: {100 * 169 / 1300:.1f}% in local case records")


@pytest.mark.skipif(not DFE.exists(), reason="../shared not beside this checkout")
def test_cli_funnel_json(demo_db):
    result = CliRunner().invoke(
        cli, ["funnel", "cp_over_2_years", "--period", "2019-20", "--format", "json", "--db", str(demo_db)]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["centre"] == pytest.approx(100 * 1_100 / 51_510) and "England's" in out["centre_label"]
    # DfE's 29 of 270 plans (10.7%) against the local records' 24 of 253 (9.5%): both named, as on the page
    assert "DfE's figure 10.7%" in out["headline"] and out["own_figure"].startswith(
        "The partnership's own figure: 9.5% in local case records"
    )
    assert set(out["areas"][0]) >= {
        "area_code",
        "name",
        "numerator",
        "denominator",
        "value",
        "band",
        "rank",
        "rank_of",
    }
    assert {a["band"] for a in out["areas"]} <= BANDS
    rutland = next(a for a in out["areas"] if a["name"] == "Rutland")
    assert rutland["band"] == _expected_band(0.0, 21, out["centre"], 100, "proportion")
    camden = next(a for a in out["areas"] if a["area_code"] == "E09000007")
    assert camden["band"] == "above 99.8%" and camden["rank"] == camden["rank_of"] == len(out["areas"])
    refused = CliRunner().invoke(cli, ["funnel", "s47_rate", "--period", "2019-20", "--db", str(demo_db)])
    assert refused.exit_code != 0 and "Traceback" not in refused.output


def test_neighbours_names_on_the_funnel_are_placed_clear_of_each_other():
    from cscp_ui.funnel_labels import PLACES, name_box, pixels, places

    # three neighbours of about the same size and value (as Barnet, Haringey and Greenwich on 2019-20's re-referrals)
    xs, ys, names = [2800.0, 3400.0, 3500.0], [17.5, 17.8, 15.3], ["Barnet", "Haringey", "Greenwich"]
    chosen = places(xs, ys, names, 13, (80.0, 30_000.0), 40.0)
    assert chosen[0] == PLACES[0] and chosen != [PLACES[0]] * 3  # the first where plotly puts it; others moved
    assert None not in chosen  # three names have room
    boxes = [name_box(*pixels(x, y, (80.0, 30_000.0), 40.0), n, 13, p) for x, y, n, p in zip(xs, ys, names, chosen)]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    # far apart, every name goes where plotly puts it by default
    assert places([100.0, 10_000.0], [5.0, 30.0], ["Rutland", "Kent"], 13, (80.0, 30_000.0), 40.0) == [PLACES[0]] * 2
    # eleven names on one spot (children in need per 10,000's London cluster): each placed name clear of the others,
    # the rest left off the chart rather than printed over them
    crowd = [f"Borough {i}" for i in range(11)]
    crowded = places(
        [3000.0 + 10 * i for i in range(11)], [400.0 + i for i in range(11)], crowd, 13, (80.0, 3e5), 1500.0
    )
    placed = [(n, p) for n, p in zip(crowd, crowded) if p is not None]
    assert 1 <= len(placed) < 11
    boxes = [
        name_box(*pixels(3000.0 + 10 * crowd.index(n), 400.0 + crowd.index(n), (80.0, 3e5), 1500.0), n, 13, p)
        for n, p in placed
    ]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_the_funnel_page_names_the_neighbours_left_off_its_chart(demo_con):
    from cscp_ui.funnel import unnamed

    points, curves = league.funnel_frame(demo_con, REG.indicators["cin_rate"], "2019-20")
    left_off = unnamed(points, curves)
    neighbours = set(points.loc[points["group"] == "statistical neighbour", "name"])
    assert left_off and set(left_off) < neighbours  # some named on the chart, the crowded rest listed
