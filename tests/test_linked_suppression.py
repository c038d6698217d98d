"""Counts shared by two public views: a drill level reached by two paths (A then B, B then A: the cells of one
two-way table whose margins are the first level's bars), and a breakdown by quarter beside the same breakdown for
the year. A reader puts every public view together and solves for what is hidden (linear algebra, numpy): no count
of 1-5 may come out, and no cell may be hidden in one view and shown in another.

The reader's side does not reuse the disclosure code: true cells come from the partnership view."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from cscp_metrics import read_memo
from cscp_metrics.indicators import summary
from cscp_metrics.indicators.disclosure import NOT_RECORDED
from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.indicators.shown_cells import published
from cscp_metrics.store import connection as store

YEAR = "2019-20"
PAIRS = {
    "referrals": ("source", "ethnicity", "rag", "ward"),
    "contacts": ("source", "presenting_issue", "ward"),
    "cse_risk_assessments": ("exploitation_risk", "age_band", "ward"),
}
BY_QUARTER = {"referrals": ("ward", "source", "ethnicity"), "cse_risk_assessments": ("ward", "age_band")}


@pytest.fixture(scope="module")
def con(demo_db):
    connection = store.connect(demo_db, read_only=True)
    yield connection
    connection.close()


def _numerators(frame: pd.DataFrame) -> dict[str, object]:
    """Each bar's numerator as a reader sees it: 'c' where the frame says it is hidden."""
    return dict(zip(frame["breakdown_value"].astype(str), published(frame)["numerator"]))


def _value(cell: object) -> float | None:
    return None if cell == "c" or cell is None or pd.isna(cell) else float(cell)


def solvable_small(
    true: np.ndarray, shown: np.ndarray, rows_shown: np.ndarray, cols_shown: np.ndarray, total_shown: bool
) -> list[tuple[int, int]]:
    """Unknowns: hidden cells and hidden margins. Equations: each row and column adds up to its margin, the margins
    to the total. An unknown is pinned down when its unit vector lies in the span of the equations (rank test).
    Returns the cells (i, -1 for a row margin, -1, j for a column margin) pinned down whose true value is 1-5."""
    n_r, n_c = true.shape
    unknowns = (
        [(i, j) for i in range(n_r) for j in range(n_c) if not shown[i, j]]
        + [(i, -1) for i in range(n_r) if not rows_shown[i]]
        + [(-1, j) for j in range(n_c) if not cols_shown[j]]
    )
    if not unknowns:
        return []
    index = {u: k for k, u in enumerate(unknowns)}
    equations = []
    for i in range(n_r):
        eq = np.zeros(len(unknowns))
        for j in range(n_c):
            if (i, j) in index:
                eq[index[(i, j)]] = 1
        if (i, -1) in index:
            eq[index[(i, -1)]] = -1
        equations.append(eq)
    for j in range(n_c):
        eq = np.zeros(len(unknowns))
        for i in range(n_r):
            if (i, j) in index:
                eq[index[(i, j)]] = 1
        if (-1, j) in index:
            eq[index[(-1, j)]] = -1
        equations.append(eq)
    if total_shown:
        equations.append(np.array([1.0 if u[1] == -1 and u[0] >= 0 else 0.0 for u in unknowns]))
        equations.append(np.array([1.0 if u[0] == -1 and u[1] >= 0 else 0.0 for u in unknowns]))
    matrix = np.array(equations)
    rank = np.linalg.matrix_rank(matrix)
    truth = {(i, j): true[i, j] for i in range(n_r) for j in range(n_c)}
    truth |= {(i, -1): true[i].sum() for i in range(n_r)} | {(-1, j): true[:, j].sum() for j in range(n_c)}
    found = []
    for u, k in index.items():
        if 1 <= truth[u] <= 5:
            unit = np.zeros(len(unknowns))
            unit[k] = 1
            if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
                found.append(u)
    return found


def _one_way(con, ind_id: str, period: str, dim: str, public: bool) -> dict[str, object]:
    return _numerators(summary.breakdown(con, ind_id, period, dim, {}, public=public))


def two_path_problems(con, ind_id: str, a: str, b: str, period: str = YEAR) -> list[str]:
    rows_pub, cols_pub = _one_way(con, ind_id, period, a, True), _one_way(con, ind_id, period, b, True)
    rows_true, cols_true = _one_way(con, ind_id, period, a, False), _one_way(con, ind_id, period, b, False)
    rows, cols = sorted(rows_true), sorted(cols_true)
    true = np.zeros((len(rows), len(cols)))
    for i, r in enumerate(rows):
        if r != NOT_RECORDED:
            cells = _numerators(summary.breakdown(con, ind_id, period, b, {a: r}, public=False))
            true[i] = [_value(cells.get(c, 0)) or 0 for c in cols]
    if NOT_RECORDED in rows:  # never a drill filter: the column margins less the recorded rows
        true[rows.index(NOT_RECORDED)] = [_value(cols_true[c]) - true[:, j].sum() for j, c in enumerate(cols)]
    shown, seen, problems = np.zeros(true.shape, bool), {}, []
    views = [(r, b, True) for r in rows if r != NOT_RECORDED and _value(rows_pub.get(r)) is not None] + [
        (c, a, False) for c in cols if c != NOT_RECORDED and _value(cols_pub.get(c)) is not None
    ]
    for value, dim, along_row in views:
        first = a if along_row else b
        cells = _numerators(summary.breakdown(con, ind_id, period, dim, {first: value}, public=True))
        for name, cell in cells.items():
            ij = (rows.index(value), cols.index(name)) if along_row else (rows.index(name), cols.index(value))
            if ij in seen and (seen[ij] == "c") != (cell == "c"):
                problems.append(f"{rows[ij[0]]} x {cols[ij[1]]}: hidden in one path, {seen[ij]} / {cell} in the other")
            seen[ij] = cell
            shown[ij] = shown[ij] or cell != "c"
    rows_shown = np.array([_value(rows_pub.get(r)) is not None for r in rows])
    cols_shown = np.array([_value(cols_pub.get(c)) is not None for c in cols])
    for i, j in solvable_small(true, shown, rows_shown, cols_shown, total_shown=True):
        name = f"{rows[i]} x {cols[j]}" if i >= 0 and j >= 0 else (f"{a} {rows[i]}" if j < 0 else f"{b} {cols[j]}")
        problems.append(f"{name}: a count of 1-5 solved from the public views")
    return problems


def quarter_problems(con, ind_id: str, dim: str, year: str = YEAR) -> list[str]:
    quarters = [f"{year}-Q{q}" for q in range(1, 5)]
    year_pub, year_true = _one_way(con, ind_id, year, dim, True), _one_way(con, ind_id, year, dim, False)
    q_pub = [_one_way(con, ind_id, q, dim, True) for q in quarters]
    q_true = [_one_way(con, ind_id, q, dim, False) for q in quarters]
    rows = sorted(set(year_true).union(*q_true))
    if not rows:
        return []
    true = np.array([[_value(q.get(r, 0)) or 0 for q in q_true] for r in rows])
    if not np.allclose(true.sum(axis=1), [_value(year_true.get(r, 0)) or 0 for r in rows]):
        return []  # quarters do not add up to the year (a snapshot): nothing to derive
    shown = np.array([[_value(q.get(r, 0)) is not None for q in q_pub] for r in rows])
    tiles = summary.public_totals(con, load_registry().indicators[ind_id], [year] + quarters).set_index("period")
    cols_shown = np.array([_value(tiles.loc[q, "numerator"]) is not None for q in quarters])
    rows_shown = np.array([_value(year_pub.get(r, 0)) is not None for r in rows])
    return [
        f"{rows[i] if i >= 0 else 'quarter'} {quarters[j] if j >= 0 else 'year'}: a count of 1-5 solved"
        for i, j in solvable_small(
            true, shown, rows_shown, cols_shown, _value(tiles.loc[year, "numerator"]) is not None
        )
    ]


def test_the_reader_solves_the_algebra():
    """The reader is not blind: one hidden cell beside a published total, or a hidden margin whose cells are shown."""
    true = np.array([[3.0, 10.0], [20.0, 30.0]])
    assert solvable_small(true, np.array([[False, True], [True, True]]), np.ones(2, bool), np.ones(2, bool), True) == [
        (0, 0)
    ]
    hidden_margin = np.array([[2.0, 2.0], [20.0, 30.0]])
    assert (0, -1) in solvable_small(
        hidden_margin, np.ones((2, 2), bool), np.array([False, True]), np.ones(2, bool), True
    )


@pytest.mark.parametrize("ind_id", sorted(PAIRS))
def test_two_drill_paths_give_nothing_away(con, ind_id):
    problems = []
    with read_memo.scope():  # every path re-reads the same true and public breakdowns: each is computed once
        for a, b in itertools.combinations(PAIRS[ind_id], 2):
            problems += [f"{ind_id} {a}->{b}: {p}" for p in two_path_problems(con, ind_id, a, b)]
    assert problems == [], f"{len(problems)} leaks, e.g.\n" + "\n".join(problems[:15])


@pytest.mark.parametrize("ind_id", sorted(BY_QUARTER))
def test_a_breakdown_by_quarter_gives_nothing_away_beside_its_year(con, ind_id):
    problems = [f"{ind_id} by {dim}: {p}" for dim in BY_QUARTER[ind_id] for p in quarter_problems(con, ind_id, dim)]
    assert problems == [], f"{len(problems)} leaks, e.g.\n" + "\n".join(problems[:15])
