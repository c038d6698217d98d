"""Funnel plot: exact bands against England's published value, rank labels by polarity, `cscp funnel` JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from scipy.stats import binom, poisson
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


def _expected_band(x: int, n: float, target: float, statistic: str) -> tuple[str, float]:
    """Band and one-sided p by hand from scipy's exact distributions."""
    if statistic == "proportion":
        low, high = binom.cdf(x, round(n), target), binom.sf(x - 1, round(n), target)
    else:
        low, high = poisson.cdf(x, n * target), poisson.sf(x - 1, n * target)
    band = (
        "above 99.8%"
        if high < 0.001
        else "below 99.8%"
        if low < 0.001
        else "above 95%"
        if high < 0.025
        else "below 95%"
        if low < 0.025
        else "within 95%"
    )
    return band, min(low, high)


@pytest.mark.skipif(not DFE.exists(), reason="../shared not beside this checkout")
def test_zero_counts_are_not_flagged_when_a_zero_is_likely(demo_con):
    raw = _raw(D5)
    england = float(
        raw[(raw.geographic_level == "National") & (raw.time_period == "2020")]["2_years_or_more_percent"].iloc[0]
    )
    points, curves = league.funnel_frame(demo_con, REG.indicators["cp_over_2_years"], "2019-20")
    assert curves["centre"].iloc[0] == england == 2.1  # England's printed value, not a pool of LAs
    by_name = points.set_index("name")
    for name, n in (("Rutland", 21), ("Westminster", 56)):
        row = by_name.loc[name]
        assert (row["numerator"], row["denominator"]) == (0, n)
        assert row["band"] == "within 95%"
        assert row["p_value"] == pytest.approx((1 - england / 100) ** n, rel=1e-9)  # P(X = 0), by hand
    scilly = (
        league.funnel_frame(demo_con, REG.indicators["cp_plan_rate"], "2019-20")[0]
        .set_index("name")
        .loc["Isles of Scilly"]
    )
    england_rate = demo_con.execute(
        "SELECT value FROM benchmarks WHERE indicator_id = 'cp_plan_rate' AND period = '2019-20' "
        "AND area_code = 'E92000001'"
    ).fetchone()[0]
    assert scilly["numerator"] == 0 and scilly["band"] == "within 95%"
    assert scilly["p_value"] == pytest.approx(poisson.pmf(0, scilly["denominator"] * england_rate / 10_000), rel=1e-9)


@pytest.mark.parametrize("indicator", ["cp_over_2_years", "re_referral_rate", "cp_plan_rate", "referral_rate"])
def test_every_band_is_its_exact_p_value(demo_con, indicator):
    ind = REG.indicators[indicator]
    points, curves = league.funnel_frame(demo_con, ind, "2019-20")
    target = curves["centre"].iloc[0] / ind.multiplier
    assert len(points) > 80
    for _, row in points.iterrows():
        band, p = _expected_band(int(row["numerator"]), row["denominator"], target, ind.statistic)
        assert row["band"] == band, row["name"]
        assert row["p_value"] == pytest.approx(p, rel=1e-9, abs=1e-300)
    flagged = points[points["band"].str.endswith("99.8%")]
    assert (flagged["p_value"] < 0.001).all() and not flagged.empty


def test_limit_lines_agree_with_the_bands(demo_con):
    """A dot beyond a line is exactly a council whose exact p is beyond that line's level."""
    ind = REG.indicators["cp_second_subsequent"]
    points, curves = league.funnel_frame(demo_con, ind, "2019-20")
    from cscp_metrics.stats.funnel import funnel_limits

    at = funnel_limits(curves["centre"].iloc[0], points["denominator"].to_numpy(), ind.statistic, ind.multiplier)
    exact = points["numerator"] / points["denominator"] * 100
    above = exact.to_numpy() > at["upper_998"].to_numpy()
    below = exact.to_numpy() < at["lower_998"].to_numpy()
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
    assert f"England {out['centre']:.1f}%" in out["centre_label"]
    # the local 169 of 1,300 at the same precision, so the two read as two figures: 13.0%, not 13%
    assert out["own_figure"].startswith(f"The partnership's own figure: {100 * 169 / 1300:.1f}% in local case records")


@pytest.mark.skipif(not DFE.exists(), reason="../shared not beside this checkout")
def test_cli_funnel_json(demo_db):
    result = CliRunner().invoke(
        cli, ["funnel", "cp_over_2_years", "--period", "2019-20", "--format", "json", "--db", str(demo_db)]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["centre"] == 2.1 and "England" in out["centre_label"] and "published" in out["centre_label"]
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
        "p_value",
        "rank",
        "rank_of",
    }
    assert {a["band"] for a in out["areas"]} <= BANDS
    rutland = next(a for a in out["areas"] if a["name"] == "Rutland")
    assert rutland["band"] == "within 95%" and rutland["p_value"] == pytest.approx(0.979**21)
    camden = next(a for a in out["areas"] if a["area_code"] == "E09000007")
    assert camden["band"] == "above 99.8%" and camden["rank"] == camden["rank_of"] == len(out["areas"])
    refused = CliRunner().invoke(cli, ["funnel", "s47_rate", "--period", "2019-20", "--db", str(demo_db)])
    assert refused.exit_code != 0 and "Traceback" not in refused.output


@pytest.mark.parametrize(
    ("statistic", "multiplier", "target", "sizes"),
    [
        ("proportion", 100, 22.6, [1, 3, 21, 137, 1_000, 48_000]),
        ("proportion", 100, 97.0, [1, 2, 10, 500]),  # the upper line at n: every child counted is not unlikely
        ("rate", 10_000, 41.0, [1, 10, 300, 5_000, 120_000]),  # 1 child: the upper line below one child
    ],
)
def test_limit_lines_are_where_the_exact_tails_reach_their_levels(statistic, multiplier, target, sizes):
    """Each line, found independently by root-finding scipy's continuous tails (P(X <= x) and P(X >= x)) at 2.5%
    and 0.1%, as Spiegelhalter's exact limits are defined."""
    from cscp_metrics.stats.funnel import funnel_limits

    found = funnel_limits(target, sizes, statistic, multiplier)
    for i, n in enumerate(sizes):
        for tag, level in (("95", 0.025), ("998", 0.001)):
            low, high = _lines_by_hand(float(n), target / multiplier, statistic, level)
            assert found[f"lower_{tag}"].iloc[i] == pytest.approx(low / n * multiplier, rel=1e-8, abs=1e-10)
            assert found[f"upper_{tag}"].iloc[i] == pytest.approx(high / n * multiplier, rel=1e-8, abs=1e-10)


def _lines_by_hand(n: float, p: float, statistic: str, level: float) -> tuple[float, float]:
    from scipy.optimize import brentq
    from scipy.special import betainc, gammainc, gammaincc

    def below(x: float) -> float:  # P(X <= x)
        return betainc(n - x, x + 1, 1 - p) if statistic == "proportion" else gammaincc(x + 1, n * p)

    def above(x: float) -> float:  # P(X >= x)
        return betainc(x, n - x + 1, p) if statistic == "proportion" else gammainc(x, n * p)

    top = n if statistic == "proportion" else n * p + 100 * (n * p + 1) ** 0.5 + 100
    low = 0.0 if below(0.0) >= level else brentq(lambda x: below(x) - level, 0.0, n * p, xtol=1e-12)
    high = n if above(top) >= level else brentq(lambda x: above(x) - level, 1e-9, top, xtol=1e-12)
    return low, high


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
