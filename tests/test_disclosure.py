"""Disclosure control: counts 1-5 hidden, and no hidden cell can be worked out from the totals."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from cscp_metrics.indicators import summary
from cscp_metrics.indicators.disclosure import NOT_RECORDED, suppress_breakdown, suppress_rows, suppress_table
from cscp_metrics.indicators.drill import DrillPath, breakdown_finding, checked, drillable, value_labels
from cscp_metrics.indicators.registry import load_registry


def _cell_derivable(
    mask: np.ndarray, values: np.ndarray, known_rows: np.ndarray, known_cols: np.ndarray
) -> list[tuple[int, int]]:
    """Independent check by linear algebra: with the row and column totals that are published (a total of
    1-5 is itself suppressed), a hidden cell is derivable when its unit vector lies in the row space of the
    constraints on the hidden cells."""
    hidden = list(zip(*np.nonzero(mask)))
    if not hidden:
        return []
    rows, cols = mask.shape
    constraints = [[0.0] * len(hidden)]
    for r in range(rows):
        if known_rows[r]:
            constraints.append([1.0 if h[0] == r else 0.0 for h in hidden])
    for c in range(cols):
        if known_cols[c]:
            constraints.append([1.0 if h[1] == c else 0.0 for h in hidden])
    a = np.array(constraints)
    rank = np.linalg.matrix_rank(a)
    out = []
    for i, cell in enumerate(hidden):
        unit = np.zeros(len(hidden))
        unit[i] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            out.append(cell)
    return out


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 40), min_size=2, max_size=6), min_size=2, max_size=6).filter(
        lambda rows: len({len(r) for r in rows}) == 1
    )
)
def test_no_suppressed_cell_is_derivable_in_two_way_tables(rows):
    table = pd.DataFrame(rows)
    shown, mask, known_rows, known_cols = suppress_table(table)
    values = table.to_numpy()

    def totals_small(t):
        return (t >= 1) & (t <= 5)

    assert not (known_rows & totals_small(values.sum(axis=1))).any()
    assert not (known_cols & totals_small(values.sum(axis=0))).any()
    assert not ((values >= 1) & (values <= 5) & ~mask).any()
    assert _cell_derivable(mask, values, known_rows, known_cols) == []
    assert np.isnan(shown.to_numpy()[mask]).all()  # a hidden cell holds no number
    assert (shown.to_numpy()[~mask] == values[~mask]).all()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=2, max_size=10))
def test_breakdown_with_a_total_never_leaves_one_hidden_cell(counts):
    frame = pd.DataFrame(
        {
            "breakdown": "x",
            "breakdown_value": [str(i) for i in range(len(counts))],
            "numerator": counts,
            "denominator": np.nan,
            "value": counts,
            "lower_ci": 0.0,
            "upper_ci": 1.0,
        }
    )
    out = suppress_breakdown(frame)
    hidden = out["suppressed"].to_numpy()
    small = np.array([(1 <= c <= 5) for c in counts])
    assert (hidden | ~small).all()
    # one hidden cell alone is only possible when it is the only non-zero cell: the total is then 1-5 and hidden too
    assert hidden.sum() != 1 or 1 <= sum(counts) <= 5
    assert out.loc[hidden, "value"].isna().all() and out.loc[hidden, "numerator"].isna().all()
    assert (out.loc[~hidden, "value"] == np.array(counts)[~hidden]).all()
    zeros = np.array(counts) == 0
    assert not (hidden & zeros).any()


def test_rate_with_suppressed_numerator_is_suppressed():
    frame = pd.DataFrame(
        {
            "breakdown": [""],
            "breakdown_value": [None],
            "numerator": [5],
            "denominator": [49275],
            "value": [1.01],
            "lower_ci": [0.3],
            "upper_ci": [2.4],
        }
    )
    out = suppress_breakdown(frame)
    assert out["suppressed"].iloc[0] and out[["numerator", "value", "lower_ci", "upper_ci"]].iloc[0].isna().all()
    assert suppress_breakdown(frame, applies=False)["value"].iloc[0] == 1.01


def _rows(numerators, denominators, names=None):
    names = names or [f"v{i}" for i in range(len(numerators))]
    return pd.DataFrame(
        {
            "breakdown": "x",
            "breakdown_value": names,
            "numerator": numerators,
            "denominator": denominators,
            "value": 1.0,
            "lower_ci": 0.0,
            "upper_ci": 2.0,
        }
    )


def test_a_small_denominator_hides_its_row_and_another_denominator_in_a_breakdown():
    """cp_over_2_years by category, 2019-20: sexual abuse is 1 of 5 plans. The old code showed 'sexual, c, 5'."""
    out = suppress_breakdown(
        _rows([11, 6, 3, 3, 1], [102, 83, 23, 40, 5], ["emotional", "neglect", "physical", "multiple", "sexual"])
    )
    shown = out.set_index("breakdown_value")
    assert shown.loc["sexual", "denominator_suppressed"] and shown.loc["sexual", "suppressed"]
    assert pd.isna(shown.loc["sexual", "denominator"]) and pd.isna(shown.loc["sexual", "value"])
    # 253 plans in all are on the tile: 5 = 253 - 102 - 83 - 23 - 40 unless a second denominator is hidden
    assert shown["denominator_suppressed"].sum() >= 2
    assert (shown["denominator"].isna() == shown["denominator_suppressed"]).all()
    assert not any(1 <= float(d) <= 5 for d in shown["denominator"].dropna())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 30)), min_size=1, max_size=8), st.randoms())
def test_breakdown_with_denominators_never_shows_or_leaves_a_small_count_derivable(pairs, rnd):
    numerators = [min(n, d) for n, d in pairs]
    denominators = [d for _, d in pairs]
    out = suppress_breakdown(_rows(numerators, denominators))
    for col, flag, true in (
        ("numerator", "suppressed", numerators),
        ("denominator", "denominator_suppressed", denominators),
    ):
        assert (out[col].isna() == out[flag]).all()  # every cell a number unless hidden, and a hidden one none
        shown = [c for c in out[col] if not pd.isna(c)]
        assert not any(1 <= c <= 5 for c in shown)
        hidden = [t for t, h in zip(true, out[flag]) if h]
        if hidden and not 1 <= sum(true) <= 5:  # a published total minus the shown cells: the hidden cells' sum
            assert not 1 <= sum(true) - sum(shown) <= 5
    assert out.loc[out["suppressed"], ["value", "lower_ci", "upper_ci"]].isna().all().all()
    assert out.loc[out["denominator_suppressed"], "suppressed"].all()
    # the same cells are hidden whatever order the rows come in (the chart sorts, the CLI does not)
    order = list(range(len(pairs)))
    rnd.shuffle(order)
    again = suppress_breakdown(
        _rows([numerators[i] for i in order], [denominators[i] for i in order], [f"v{i}" for i in order])
    )
    assert sorted(again.loc[again["suppressed"], "breakdown_value"]) == sorted(
        out.loc[out["suppressed"], "breakdown_value"]
    )


def test_a_quarter_hidden_alone_takes_another_quarter_with_it():
    frame = pd.DataFrame(
        {
            "period": ["2019-20", "2019-20-Q1", "2019-20-Q2", "2019-20-Q3", "2019-20-Q4"],
            "numerator": [43, 10, 3, 15, 15],
            "denominator": np.nan,
            "value": [43, 10, 3, 15, 15],
            "lower_ci": np.nan,
            "upper_ci": np.nan,
        }
    )
    out = suppress_rows(frame, quarters_add_up=True).set_index("period")["numerator"]
    assert pd.isna(out["2019-20-Q2"]) and pd.isna(out["2019-20-Q1"])  # 43 - 10 - 15 - 15 would be 3
    assert out["2019-20"] == 43 and out["2019-20-Q3"] == 15
    alone = suppress_rows(frame, quarters_add_up=False).set_index("period")["numerator"]
    assert alone["2019-20-Q1"] == 10  # a snapshot's quarters do not add up to its year


def test_only_published_bars_can_be_drilled_into(demo_con):
    """An old check compared breakdown_value with 'c' (suppression wrote 'c' into value): every hidden
    bar could be clicked or picked, and its own breakdown added up to it."""
    frame = summary.breakdown(demo_con, "re_referral_rate", "2019-20-Q2", "ethnicity", {}, public=True)
    hidden = set(frame.loc[frame["suppressed"], "breakdown_value"])
    assert hidden, "the example needs a hidden bar"
    assert frame.loc[frame["suppressed"], "value"].isna().all()
    assert not hidden & set(drillable(frame))
    assert set(drillable(frame)) == set(frame.loc[~frame["suppressed"], "breakdown_value"]) - {NOT_RECORDED}


def test_a_drill_path_from_a_link_keeps_only_what_the_dashboard_could_have_made(demo_con):
    ind = load_registry().indicators["referrals"]

    def bars(level, dimension):
        return summary.breakdown(demo_con, ind.id, "2019-20", dimension, level.where(), public=True)

    ok = DrillPath("referrals", (("source", "police"), ("ward", "Kilburn")))
    assert checked(ok, ind, bars) == (ok, True)
    for bad in ("[Log in again](https://evil.example/login) ![t](http://127.0.0.9/t.png)", "no such source"):
        assert checked(DrillPath("referrals", (("source", bad), ("ward", "Kilburn"))), ind, bars) == (
            DrillPath("referrals"),
            False,
        )
    assert checked(DrillPath("referrals", (("source", "police"), ("colour", "x"))), ind, bars) == (
        DrillPath("referrals", (("source", "police"),)),
        False,
    )
    small = summary.breakdown(demo_con, ind.id, "2019-20-Q1", "ethnicity", {}, public=True)
    hidden = small.loc[small["suppressed"], "breakdown_value"].iloc[0]
    assert (
        checked(
            DrillPath("referrals", (("ethnicity", hidden),)),
            ind,
            lambda level, d: summary.breakdown(demo_con, ind.id, "2019-20-Q1", d, level.where(), True),
        )[1]
        is False
    )


def test_a_months_finding_says_a_hidden_month_may_be_the_lowest():
    ind = load_registry().indicators["contacts"]
    frame = pd.DataFrame(
        {
            "breakdown_value": ["2019-05", "2019-06", "2019-07"],
            "value": [15.0, np.nan, 6.0],
            "numerator": [15.0, np.nan, 6.0],
            "suppressed": [False, True, False],
        }
    )
    found = breakdown_finding(ind, frame, "month", "2019-20")
    # a month hidden so that another cannot be worked out may hold more than 5: neither end is certain
    assert found.endswith(
        "highest of those shown in May 2019 (15), lowest of those shown in July 2019 (6); 1 month hidden to protect small numbers"
    )
    shown = frame.assign(value=[15.0, 9.0, 6.0], suppressed=False)
    assert breakdown_finding(ind, shown, "month", "2019-20").endswith(
        "highest in May 2019 (15), lowest in July 2019 (6)"
    )


def test_a_proportions_highest_group_is_only_the_highest_of_those_shown_when_one_is_hidden():
    """The public chart of CSA by age band read 'highest for age band 1-4: 2.8%' while 16+ (7 of 155, 4.5%) and
    under 1 (3 of 80, 3.8%) were hidden."""
    ind = next(i for i in load_registry().indicators.values() if i.statistic == "proportion")
    frame = pd.DataFrame(
        {
            "breakdown_value": ["under_1", "1-4", "16+"],
            "value": [np.nan, 2.8, np.nan],
            "numerator": [np.nan, 9.0, np.nan],
            "suppressed": [True, False, True],
        }
    )
    found = breakdown_finding(ind, frame, "age_band", "2019-20")
    assert "is highest of those shown for" in found and found.endswith("(2019-20); 2 hidden to protect small numbers")
    assert "is highest for" in breakdown_finding(
        ind, frame.assign(value=[3.8, 2.8, 4.5], suppressed=False), "age_band", "2019-20"
    )


def test_a_breakdowns_finding_names_a_coded_value_in_words():
    ind = load_registry().indicators["missing_children"]
    frame = pd.DataFrame(
        {
            "breakdown_value": ["none", "cce", "cse"],
            "value": [84.0, 30.0, 18.0],
            "numerator": [84.0, 30.0, 18.0],
            "suppressed": [False, False, False],
        }
    )
    assert breakdown_finding(ind, frame, "exploitation_risk", "2019-20") == (
        "No exploitation risk identified is the largest exploitation risk: 84 of 132 (2019-20)"
    )
    wards = frame.assign(breakdown_value=["St Pancras and Somers Town", "Kilburn", "Camden Town"])
    assert breakdown_finding(ind, wards, "ward", "2019-20").startswith("St Pancras and Somers Town is the largest ward")


def test_codes_that_share_words_are_told_apart_on_a_chart_and_in_a_list():
    # a council's file may hold both codes; one place on the axis for two bars would hide one behind the other
    assert value_labels(["cin", "nfa", "no_further_action"], "outcome") == [
        "social care service (child in need)",
        "no further action (nfa)",
        "no further action (no_further_action)",
    ]
    assert value_labels(["police", "local_authority"], "source") == ["police", "local authority"]
