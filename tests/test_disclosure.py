"""Disclosure control: counts 1-5 hidden, and no hidden cell can be worked out from the totals."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from cscp_metrics.disclosure import suppress_breakdown, suppress_table


def _cell_derivable(mask: np.ndarray, values: np.ndarray, known_rows: np.ndarray, known_cols: np.ndarray) -> list[tuple[int, int]]:
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
        unit = np.zeros(len(hidden)); unit[i] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            out.append(cell)
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 40), min_size=2, max_size=6), min_size=2, max_size=6).filter(
    lambda rows: len({len(r) for r in rows}) == 1))
def test_no_suppressed_cell_is_derivable_in_two_way_tables(rows):
    table = pd.DataFrame(rows)
    shown, mask, known_rows, known_cols = suppress_table(table)
    values = table.to_numpy()
    totals_small = lambda t: (t >= 1) & (t <= 5)
    assert not (known_rows & totals_small(values.sum(axis=1))).any()
    assert not (known_cols & totals_small(values.sum(axis=0))).any()
    assert not ((values >= 1) & (values <= 5) & ~mask).any()
    assert _cell_derivable(mask, values, known_rows, known_cols) == []
    assert all(shown.to_numpy()[mask] == "c")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=2, max_size=10))
def test_breakdown_with_a_total_never_leaves_one_hidden_cell(counts):
    frame = pd.DataFrame({"breakdown": "x", "breakdown_value": [str(i) for i in range(len(counts))],
                          "numerator": counts, "denominator": np.nan, "value": counts,
                          "lower_ci": 0.0, "upper_ci": 1.0})
    out = suppress_breakdown(frame)
    hidden = out["suppressed"].to_numpy()
    small = np.array([(1 <= c <= 5) for c in counts])
    assert (hidden | ~small).all()
    # one hidden cell alone is only possible when it is the only non-zero cell: the total is then 1-5 and hidden too
    assert hidden.sum() != 1 or 1 <= sum(counts) <= 5
    assert (out.loc[hidden, "value"] == "c").all() and (out.loc[~hidden, "value"] != "c").all()
    zeros = np.array(counts) == 0
    assert not (hidden & zeros).any()


def test_rate_with_suppressed_numerator_is_suppressed():
    frame = pd.DataFrame({"breakdown": [""], "breakdown_value": [None], "numerator": [5], "denominator": [49275],
                          "value": [1.01], "lower_ci": [0.3], "upper_ci": [2.4]})
    out = suppress_breakdown(frame)
    assert out[["numerator", "value", "lower_ci", "upper_ci"]].iloc[0].tolist() == ["c"] * 4
    assert suppress_breakdown(frame, applies=False)["value"].iloc[0] == 1.01
