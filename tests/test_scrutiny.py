"""The scrutineer's view: signals, sentences, funnel, reconciliation, challenge log, checked against hand values."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2, poisson
from typer.testing import CliRunner

from cscp_metrics.cli.main import app as cli
from cscp_metrics.indicators.engine import compute
from cscp_metrics.indicators.links import page_link
from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.indicators.registry.pages import load_pages
from cscp_metrics.records import challenges
from cscp_metrics.scrutiny import league, outliers
from cscp_metrics.scrutiny.reconciliation import reconcile
from cscp_metrics.stats.change import count_change_p, proportion_change_p

REG = load_registry()
Z95 = 1.959964


def _wilson(x, n, z=Z95):
    root = z * math.sqrt(z * z + 4 * x * (1 - x / n))
    return (2 * x + z * z - root) / (2 * (n + z * z)), (2 * x + z * z + root) / (2 * (n + z * z))


def test_re_referrals_better_than_england_with_hand_interval_and_children_gap(demo_con):
    england = demo_con.execute(  # DfE printed 22.6; its counts, rounded to 10, give 145,390 / 642,980 = 22.61
        "SELECT value FROM benchmarks WHERE indicator_id = 're_referral_rate' "
        "AND period = '2019-20' AND area_code = 'E92000001'"
    ).fetchone()[0]
    assert england == 22.6
    lo, hi = _wilson(119, 1475)
    assert hi * 100 < england  # so the Fingertips rule says "lower", and low is good: "better"
    row = pd.Series(
        {
            "value": 119 / 1475 * 100,
            "numerator": 119.0,
            "denominator": 1475.0,
            "lower_ci": lo * 100,
            "upper_ci": hi * 100,
        }
    )
    found = outliers.comparator_signals(demo_con, REG.indicators["re_referral_rate"], "2019-20", row, public=True)
    signal = next(s for s in found if s.comparator == "England")
    assert signal.direction == "better" and signal.evidence == 2
    assert signal.children_gap == pytest.approx(1475 * england / 100 - 119)
    assert signal.children_gap_lower == pytest.approx(1475 * england / 100 - hi * 1475)
    assert signal.sentence.startswith(
        "Re-referrals within 12 months, 2019-20: 8.1% (119 of 1,475) in local case records, "
        "significantly lower than England (22.6%): better; also significantly lower than "
        "London (18.8%), Inner London (18.3%) and Statistical neighbours (19.1%). At England's "
        f"rate there would have been about {1475 * england / 100 - 119:,.0f} more"
    )
    assert len(found) == 1  # one finding, every comparator in its sentence


def test_sentences_for_worse_similar_and_small_numbers(demo_con):
    ind = REG.indicators["re_referral_rate"]
    worse = pd.Series({"value": 40.0, "numerator": 400.0, "denominator": 1000.0, "lower_ci": 37.0, "upper_ci": 43.1})
    s = next(x for x in outliers.comparator_signals(demo_con, ind, "2019-20", worse, True) if x.comparator == "England")
    assert s.direction == "worse" and "significantly higher than England (22.6%): worse" in s.sentence
    assert "fewer referrals that were re-referrals" in s.sentence
    similar = pd.Series({"value": 22.0, "numerator": 22.0, "denominator": 100.0, "lower_ci": 15.0, "upper_ci": 31.0})
    s = next(
        x for x in outliers.comparator_signals(demo_con, ind, "2019-20", similar, True) if x.comparator == "England"
    )
    assert s.direction == "similar" and "similar to England" in s.sentence and s.evidence == 0
    small = pd.Series({"value": 3 / 40 * 100, "numerator": 3.0, "denominator": 40.0, "lower_ci": 2.6, "upper_ci": 19.9})
    for s in outliers.comparator_signals(demo_con, ind, "2019-20", small, public=True):
        assert s.suppressed and s.value is None and s.numerator is None and s.children_gap is None
        assert s.as_published()["value"] == s.as_published()["numerator"] == "c"
        assert not re.search(r"\b3\b", s.sentence) and "suppressed" in s.sentence
    shown = outliers.comparator_signals(demo_con, ind, "2019-20", small, public=False)
    assert shown[0].numerator == 3.0


def _series(values):
    months = pd.period_range("2018-04", periods=len(values), freq="M").astype(str)
    return pd.DataFrame({"period": months, "value": values, "numerator": values})


def test_spc_flags_a_known_special_cause_and_not_a_stable_series():
    ind = REG.indicators["referrals"]
    stable = [
        100,
        104,
        98,
        102,
        99,
        103,
        97,
        101,
        100,
        104,
        98,
        102,
        99,
        103,
        97,
        101,
        100,
        104,
        98,
        102,
        99,
        103,
        97,
        101,
    ]
    assert outliers.spc_signal_from_series(ind, "2019-20", _series(stable), public=False) == []
    spiked = stable[:-1] + [160]
    [signal] = outliers.spc_signal_from_series(ind, "2019-20", _series(spiked), public=False)
    mean = np.mean(spiked)
    ucl = mean + 2.66 * np.mean(np.abs(np.diff(spiked)))
    assert 160 > ucl and signal.evidence == 2 and signal.breakdown_value == "2020-03"
    assert "outside the control limits" in signal.sentence and signal.direction == "higher"
    assert outliers.spc_signal_from_series(ind, "2019-20", _series(stable[:10]), public=False) == []  # too few points


def test_change_p_values_against_hand_calculations():
    p1, p2, n1, n2 = 119, 132, 1475, 1394
    pooled = (p1 + p2) / (n1 + n2)
    z = (p1 / n1 - p2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    assert proportion_change_p(p1, n1, p2, n2) == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))
    # exact conditional test by hand: both tails of Binomial(30, 0.5) at least as unlikely as 20
    pmf = [math.comb(30, k) * 0.5**30 for k in range(31)]
    assert count_change_p(20, 10) == pytest.approx(sum(p for p in pmf if p <= pmf[20] * (1 + 1e-7)))
    assert count_change_p(0, 0) == 1.0
    with pytest.raises(ValueError, match="denominators"):
        proportion_change_p(1, 0, 1, 10)


def test_funnel_positions_and_rank_against_independent_limits(demo_con):
    ind = REG.indicators["cp_plan_rate"]
    points, curves = league.funnel_frame(demo_con, ind, "2019-20")
    assert 140 <= len(points) <= 153 and (points["group"] == "partnership").sum() == 1
    england = demo_con.execute(
        "SELECT numerator / denominator FROM benchmarks WHERE indicator_id = 'cp_plan_rate' "
        "AND period = '2019-20' AND area_code = 'E92000001'"
    ).fetchone()[0]
    assert curves["centre"].iloc[0] == pytest.approx(england * 10_000)  # the pool of every LA: England's count
    for _, p in points.sample(20, random_state=1).iterrows():
        expected, n = england * p["denominator"], p["denominator"]  # the centre's count at this LA's size
        # DATA-AND-METHODS.md section 3: the exact Poisson interval (scipy's chi-squared) for it, over n
        lo95, hi95 = chi2.ppf(0.025, 2 * expected) / 2 / n * 1e4, chi2.ppf(0.975, 2 * expected + 2) / 2 / n * 1e4
        lo998, hi998 = chi2.ppf(0.001, 2 * expected) / 2 / n * 1e4, chi2.ppf(0.999, 2 * expected + 2) / 2 / n * 1e4
        v = p["value"]
        want = (
            "above 99.8%"
            if v > hi998
            else "below 99.8%"
            if v < lo998
            else "above 95%"
            if v > hi95
            else "below 95%"
            if v < lo95
            else "within 95%"
        )
        assert p["band"] == want, p["name"]
    camden = points[points["group"] == "partnership"].iloc[0]
    assert camden["value"] == pytest.approx(70.0, abs=0.05) and camden["band"] == "above 99.8%"
    assert league.rank_of(pd.Series([5.0, 1.0, 3.0, 9.0]), 3.0, "low_is_good") == (2, 4, 2)
    assert league.rank_of(pd.Series([5.0, 1.0, 3.0, 9.0]), 9.0, "high_is_good") == (1, 4, 1)
    assert league.rank_of(pd.Series([5.0, 1.0, 3.0, 9.0]), 1.0, "neutral") == (4, 4, 4)


def test_reconciliation_statuses(demo_con):
    frame = reconcile(demo_con, "2019-20").set_index("indicator_id")
    referrals = frame.loc["referrals"]
    assert (referrals["local_value"], referrals["dfe_value"]) == (1475, 1499)
    assert referrals["status"] == "differs: census revision or definition" and "-1.6%" in referrals["reason"]
    re_ref = frame.loc["re_referral_rate"]
    assert round(re_ref["local_value"], 1) == 8.1 and round(re_ref["dfe_value"], 1) == 8.7
    assert frame.loc["cp_starts_rate"]["status"] == "unexplained"  # 300 vs 266 plans started: 12.8%
    assert "ours set on DfE's ONS base of 38,566 children" in frame.loc["cp_plan_rate"]["reason"]
    before = reconcile(demo_con, "2018-19").set_index("indicator_id")
    assert before.loc["re_referral_rate"]["status"] == "matches"  # 132 of 1,394 both locally and at DfE
    assert reconcile(demo_con, "2019-20-Q1").empty


def test_cli_outliers_json_lists_re_referrals_and_reconciliation(demo_copy):
    result = CliRunner().invoke(cli, ["outliers", "--period", "2019-20", "--format", "json", "--db", str(demo_copy)])
    assert result.exit_code == 0, result.output
    signals = json.loads(result.output)
    required = {
        "indicator_id",
        "period",
        "area",
        "breakdown",
        "kind",
        "comparator",
        "direction",
        "value",
        "comparator_value",
        "sentence",
    }
    assert all(required <= set(s) for s in signals)
    england = next(s for s in signals if s["indicator_id"] == "re_referral_rate" and s["comparator"] == "England")
    assert england["direction"] == "better" and round(england["value"], 1) == 8.1
    assert round(england["comparator_value"], 1) == 22.6
    rec = next(s for s in signals if s["kind"] == "reconciliation" and s["indicator_id"] == "referrals")
    assert (rec["value"], rec["comparator_value"]) == (1475, 1499) and "1,475" in rec["sentence"]
    first_ten = [s["indicator_id"] for s in signals[:10]]
    assert len(set(first_ten)) >= 8 and "cp_over_2_years" in first_ten, first_ten
    significance = [s["indicator_id"] for s in signals if s["kind"] == "significance"]
    assert len(significance) == len(set(significance))  # a finding's comparators are one signal
    activity = [i for i, s in enumerate(signals) if s["indicator_id"] in ("equaliteach_students", "brave_young_people")]
    assert min(activity) > first_ten.index("cp_over_2_years")  # counts of activity do not outrank outcomes


def test_challenge_log_keeps_history_and_carries_forward(tmp_path):
    db = tmp_path / "s.duckdb"
    with challenges.opened(db) as log:
        first = challenges.raise_challenge(
            log,
            challenges.NewChallenge(
                indicator_id="re_referral_rate",
                period="2019-20",
                question='=HYPERLINK("x") <b>why</b>?',
                owner_agency="Children and Families",
            ),
        )
        challenges.update(log, first, "answered", "New MASH screening")
    with challenges.opened(db) as log:  # a new connection: what a restart sees
        assert [c.status for c in challenges.history(log, first)] == ["open", "answered"]
        assert challenges.get(log, first).question == '=HYPERLINK("x") <b>why</b>?'
        assert [c.challenge_id for c in challenges.for_indicator(log, "re_referral_rate", "2020-21")] == [first]
        challenges.update(log, first, "closed")
        assert challenges.for_indicator(log, "re_referral_rate", "2020-21") == []
        assert [c.challenge_id for c in challenges.for_indicator(log, "re_referral_rate", "2019-20")] == [first]
    with pytest.raises(ValueError):
        challenges.NewChallenge(indicator_id="x", period="2019", question="Why?", owner_agency="Police")


def test_every_link_goes_to_a_page_of_the_app():
    from cscp_ui.routing import PAGES

    registry = load_pages()
    for path in {registry.page_of_area(a) for a in registry.areas} | {"funnel", "where-to-look"}:
        assert path in {p.url_path for p in PAGES}, path
        assert (Path(__file__).resolve().parent.parent / "pages" / f"{path}.py").exists()
    assert {i.priority_area for i in REG.indicators.values()} <= set(registry.areas)
    link = page_link(REG.indicators["re_referral_rate"], "2019-20-Q4", {"source": "police"})
    assert link == "/front-door?year=2019-20&q=Q4&drill=re_referral_rate|source=police"


def test_rates_are_compared_on_dfes_population_base_not_the_reports(demo_con):
    from cscp_metrics.indicators import summary
    from cscp_metrics.indicators.engine import compute

    ons = demo_con.execute(
        "SELECT population FROM population WHERE area_code = 'E09000007' AND mid_year = 2019 AND source = 'ons'"
    ).fetchone()[0]
    tile = summary.tile(demo_con, "cp_plan_rate", "2019-20", "england", True)
    # beside England the big number, its interval, the significance and the sentence are all on DfE's base
    assert tile.value == pytest.approx(253 / ons * 10_000) and tile.value_text == "65.6"
    assert tile.denominator == ons and tile.numerator == 253
    assert (tile.lower, tile.upper) == pytest.approx(
        tuple(x / ons * 10_000 for x in poisson.interval(0.95, 253)), rel=0.02
    )
    assert "65.6 in local case records on DfE's population base" in tile.sentence and tile.significance == "higher"
    assert "51.3" not in tile.sentence and tile.own_base_note.startswith(
        "The same count on the partnership's own population base: 51.3"
    )
    assert "2019-20 annual report" in tile.own_base_note and "49,275 children" in tile.own_base_note
    assert tile.trend["value"].iloc[-1] == pytest.approx(tile.value)  # the sparkline ends at the big number
    quarter = summary.tile(demo_con, "cp_plan_rate", "2019-20-Q4", "england", True)  # no comparator, DfE's base
    assert (
        quarter.value == pytest.approx(253 / ons * 10_000)
        and quarter.basis == "local case records on DfE's population base"
    )
    assert quarter.own_base_note.startswith("The same count on the partnership's own population base: 51.3")
    lac = summary.tile(demo_con, "cin_referral_rate", "2019-20", "england", True)  # DfE publishes no such rate
    assert lac.value == pytest.approx(1475 / 49_275 * 10_000)  # 299.3, as the report printed it, and it says so
    assert lac.basis == "local case records on the partnership's own population base"
    assert "49,275 children" in lac.own_base_note and "299 in local case records on the partnership's" in lac.sentence
    row = pd.Series(
        {
            "value": 1475 / 49_275 * 10_000,
            "numerator": 1475.0,
            "denominator": 49_275.0,
            "lower_ci": 0.0,
            "upper_ci": 0.0,
        }
    )
    # the change on the tile's base too: 310 plans over DfE's 2018-19 population, then 253 over 2019-20's (Where to
    # look said 'fell from 62.9 to 51.3' on the own base while the tile's trend read 79.5 to 65.6)
    ons_before = demo_con.execute(
        "SELECT population FROM population WHERE area_code = 'E09000007' AND mid_year = 2018 AND source = 'ons'"
    ).fetchone()[0]
    plans = REG.indicators["cp_plan_rate"]
    now = compute(demo_con, "cp_plan_rate", "2019-20").iloc[0]
    (change,) = outliers.change_signals(demo_con, plans, "2019-20", now, True, REG)
    assert (
        f"fell from {310 / ons_before * 10_000:.1f} in 2018-19 to {253 / ons * 10_000:.1f} in 2019-20"
        in change.sentence
    )
    assert change.value == pytest.approx(253 / ons * 10_000)
    # 2021-22 is DfE's census only, 2020-21 local records: two sources are not a change (it read 'fell from 53.4 to
    # 39.6', 263 over the own base against DfE's 145 over theirs, and '118 fewer')
    dfe_year = compute(demo_con, "cp_plan_rate", "2021-22").iloc[0]
    assert str(dfe_year["source"]).startswith("DfE") and not str(
        compute(demo_con, "cp_plan_rate", "2020-21").iloc[0]["source"]
    ).startswith("DfE")
    assert outliers.change_signals(demo_con, plans, "2021-22", dfe_year, True, REG) == []
    england = next(
        s
        for s in outliers.comparator_signals(demo_con, REG.indicators["referral_rate"], "2019-20", row, True)
        if s.comparator == "England"
    )
    assert england.children_gap == pytest.approx(ons * england.comparator_value / 10_000 - 1475)


def test_signal_sentences_use_registry_words_not_ids(demo_con):
    from cscp_metrics.scrutiny import where_to_look

    found = where_to_look.find(demo_con, "2019-20", public=False)
    for s in found:
        ind = REG.indicators[s.indicator_id]
        assert "_" not in s.sentence, s.sentence
        for phrase in (
            str(ind.numerator).split(":")[-1].replace("_", " "),
            str(ind.denominator or "").replace("_", " "),
        ):
            if " " in phrase and phrase.lower() not in (ind.title + " " + ind.counts_what).lower():
                assert not re.search(rf"\b{re.escape(phrase)}\b", s.sentence), (phrase, s.sentence)
    texts = " ".join(s.sentence for s in found)
    for raw in ("missing rhi completed", "rhi child quarters reduced", "exploitation risk cce", "cp open"):
        assert raw not in texts
    assert "exploitation risk: child criminal exploitation" in texts


def test_the_reconciliation_counts_read_as_a_sentence():
    from cscp_metrics.scrutiny.reconciliation import counts_sentence

    statuses = pd.Series(["matches", "unexplained", "matches", "differs: census revision or definition"])
    assert counts_sentence(statuses) == (
        "Of 4 figures DfE also publishes: 2 have DfE's count, 1 differs from DfE's count by 10% or less (the usual "
        "gap of a census revision or a definition), 1 differs from DfE's count by more than 10%, not yet explained."
    )  # never '1 unexplained' or '5 differs: census revision or definition'
    assert counts_sentence(pd.Series(["matches"])) == "Of 1 figure DfE also publishes: 1 has DfE's count."


def test_the_public_reconciliation_leaves_out_a_row_with_a_count_of_1_to_5():
    from cscp_metrics.scrutiny.reconciliation import shown

    frame = pd.DataFrame(
        {"indicator_id": ["a", "b", "c", "d"], "local_numerator": [3.0, 40.0, 0.0, 6.0], "dfe_numerator": [9, 5, 0, 6]}
    )
    assert list(shown(frame, public=True)["indicator_id"]) == ["c", "d"]  # 3 locally, 5 at DfE: both hidden; 0 is not
    assert list(shown(frame, public=False)["indicator_id"]) == ["a", "b", "c", "d"]


def test_cscp_metric_says_when_a_rate_is_on_the_own_base_and_what_the_dashboard_shows(demo_db):
    """`cscp metric cp_plan_rate` printed 51.3 (253 over the report's 49,275) while every page reads 65.6: it now
    says which base it counts on and gives the dashboard's figure (253 over DfE's 38,566), on stderr."""
    result = CliRunner().invoke(cli, ["metric", "cp_plan_rate", "--period", "2019-20", "--db", str(demo_db)])
    assert result.exit_code == 0, result.output
    assert "49275" in result.stdout.replace(",", "")  # the engine's own row, as before
    assert (
        f"own population base (49,275); the dashboard shows it on DfE's population base, as DfE publishes it: "
        f"{253 / 38_566 * 10_000:.1f} (253 / 38,566)"
    ) in result.stderr
    counts = CliRunner().invoke(cli, ["metric", "referrals", "--period", "2019-20", "--db", str(demo_db)])
    assert counts.exit_code == 0 and "population base" not in counts.stderr  # a count has no base to speak of


def test_cscp_metrics_base_note_never_gives_back_a_hidden_count(demo_con):
    """In the public view a count of 1-5 is c on stdout: the note on stderr must not print it (3 / 38,566)."""
    from cscp_metrics.cli.main import _dfe_base_note
    from cscp_metrics.indicators.engine import compute

    row = compute(demo_con, "cp_starts_rate", "2019-20").assign(numerator=3.0, value=3 / 49_275 * 10_000)
    assert "(3 / 38,566)" in _dfe_base_note(demo_con, "cp_starts_rate", "2019-20", row, None, None, None, False)
    assert _dfe_base_note(demo_con, "cp_starts_rate", "2019-20", row, None, None, None, True) == ""
    shown = row.assign(numerator=6.0)  # not small: the public note may say it
    assert "(6 / 38,566)" in _dfe_base_note(demo_con, "cp_starts_rate", "2019-20", shown, None, None, None, True)


def _returned_and_interviewed(con, year: int) -> tuple[int, int]:
    return con.execute(
        "SELECT count(*) FILTER (WHERE rhi_completed), count(*) FROM missing_episodes WHERE return_datetime IS NOT NULL "
        "AND start_datetime >= ? AND start_datetime < ?",
        [f"{year}-04-01", f"{year + 1}-04-01"],
    ).fetchone()


def test_a_change_in_a_share_is_counted_at_last_years_rate_not_as_the_difference_in_counts(demo_con):
    """Return home interviews: 2018-19's share applied to 2019-20's episodes, by hand from the raw episodes; the
    difference in counts also holds the fall in episodes, and is not what the sentence says."""
    (xb, nb), (x, n) = _returned_and_interviewed(demo_con, 2018), _returned_and_interviewed(demo_con, 2019)
    at_last_years_rate = n * xb / nb - x
    assert round(at_last_years_rate) != xb - x  # the two readings differ on the demo
    row = compute(demo_con, "rhi_completed", "2019-20", registry=REG).iloc[0]
    [signal] = outliers.change_signals(demo_con, REG.indicators["rhi_completed"], "2019-20", row, True, REG)
    assert f"At 2018-19's rate there would have been about {at_last_years_rate:,.0f} more return home interviews" in (
        signal.sentence
    )
    assert signal.children_gap == pytest.approx(at_last_years_rate)
    lower, upper = (int(v.replace(",", "")) for v in re.findall(r"95% CI ([\d,]+) to ([\d,]+)", signal.sentence)[0])
    lo, hi = _wilson(x, n)  # this year's share's interval, carried through as the gap's
    assert (lower, upper) == (round(n * xb / nb - hi * n), round(n * xb / nb - lo * n))
    assert (signal.children_gap_lower, signal.children_gap_upper) == pytest.approx(
        (n * xb / nb - hi * n, n * xb / nb - lo * n)
    )


def test_a_count_whose_rate_is_shown_has_one_change_signal_the_rates(demo_con):
    rows = {i: compute(demo_con, i, "2019-20", registry=REG).iloc[0] for i in ("cp_plans_open", "cp_plan_rate")}
    assert rows["cp_plans_open"]["numerator"] == 253  # fell from 310: a change beyond chance as a count too
    count = outliers.change_signals(
        demo_con, REG.indicators["cp_plans_open"], "2019-20", rows["cp_plans_open"], True, REG
    )
    rate = outliers.change_signals(demo_con, REG.indicators["cp_plan_rate"], "2019-20", rows["cp_plan_rate"], True, REG)
    assert count == [] and [s.kind for s in rate] == ["change"]


def test_a_quarter_of_a_return_made_once_a_year_says_so(demo_con):
    from cscp_metrics.indicators.no_data import reason

    assert compute(demo_con, "ehc_plans", "2019-20-Q3", registry=REG)["value"].isna().all()
    assert compute(demo_con, "ehc_plans", "2019-20", registry=REG)["value"].iloc[0] == 1440  # printed
    assert reason(demo_con, REG.indicators["ehc_plans"], "2019-20-Q3") == (
        "Schools and education services returns this for the whole year, not by quarter or month: choose 2019-20."
    )


def test_also_joins_only_the_lead_findings_and_comes_first():
    ind = REG.indicators["cp_plan_rate"]
    tested = [("england", "England", 40.6, "similar"), ("sn", "Statistical neighbours", 36.1, "worse")]
    assert outliers._others(ind, 42.8, tested, "significantly higher than") == (
        "; also significantly higher than Statistical neighbours (36.1); similar to England (40.6)"
    )
    assert outliers._others(ind, 42.8, tested[:1], "significantly higher than") == "; similar to England (40.6)"
