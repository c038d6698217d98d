"""Disclosure control for public views (DfE rules): one module used by every chart, table and download.

Counts of 1 to 5 are hidden; a rate or percentage whose numerator is hidden is hidden; secondary suppression makes
sure no hidden cell can be worked out from the total and the other cells. A hidden cell holds NaN (never the small
number) and boolean columns say what is hidden (HIDDEN_FLAGS); the 'c' is written only where a figure is shown
(shown_cells)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cscp_metrics.indicators.registry import Indicator, Registry

ROW_FIGURES = ("numerator", "value", "lower_ci", "upper_ci")  # hidden together when a row is (`suppressed`)
HIDDEN_FLAGS = {**dict.fromkeys(ROW_FIGURES, "suppressed"), "denominator": "denominator_suppressed"}  # cell: its flag

C_MEANS = "c: hidden in the public view, a count of 1 to 5 or a figure that would give one away"


def number(value: float | None) -> float | None:
    """The figure as a float; None when there is none (hidden, missing or NaN)."""
    if value is None:
        return None
    figure = float(value)
    return None if np.isnan(figure) else figure


SMALL = (1, 5)
NOT_RECORDED = "not recorded"  # a breakdown's bar for records with no value in that dimension


def is_small(values: pd.Series) -> pd.Series:
    v = values.astype(float)
    return (v >= SMALL[0]) & (v <= SMALL[1])


def secondary(counts: np.ndarray, primary: np.ndarray, names: np.ndarray | None = None) -> np.ndarray:
    """For a group whose total is published: while exactly one cell is suppressed, or the suppressed cells
    together are 1-5 (the total minus the others gives their sum: the year's months hidden together would
    give a quarter's total, hidden on its own tile), suppress the next smallest non-zero cell too (a zero
    reveals nothing, so it is never chosen). When no other cell is non-zero the total equals the hidden
    cells, is itself 1-5 and so is suppressed wherever it is shown. Ties go to the first name: the same
    cells are chosen whatever order a view lists them in (two views hiding different cells of one table
    would together give both away)."""
    mask = primary.copy()
    order = np.lexsort((np.arange(len(counts)) if names is None else names, counts))
    while mask.sum() == 1 or (mask.any() and SMALL[0] <= counts[mask].sum() <= SMALL[1]):
        candidates = [i for i in order if not mask[i] and counts[i] > 0]
        if not candidates:
            break
        mask[candidates[0]] = True
    return mask


def suppress_breakdown(frame: pd.DataFrame, applies: bool = True, also: np.ndarray | None = None) -> pd.DataFrame:
    """Public view of an engine frame (one indicator, one period): adds `suppressed` and blanks values.

    A row is hidden when its numerator or its denominator is 1-5. The rows' numerators add up to a published
    total, and so do their denominators when these differ by row: in either column one hidden cell alone is
    the total minus the others, so secondary suppression hides another there. A hidden denominator hides its
    row (numerator and rate would give it back); a row hidden for its numerator keeps a denominator of 6 or
    more, which reveals nothing. `also`: rows hidden for a view that shares cells with this one."""
    out = frame.copy()
    if not applies or out.empty:
        return _nothing_hidden(out)
    names = (
        out["breakdown_value"].astype(object).where(out["breakdown_value"].notna(), NOT_RECORDED).astype(str).to_numpy()
        if "breakdown_value" in out
        else None
    )
    return _blank(out, *_family_masks(_counts(out, "numerator"), _counts(out, "denominator"), names, also))


def _family_masks(
    numerators: np.ndarray, denominators: np.ndarray, names: np.ndarray | None, also: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(rows hidden, denominators hidden) for cells whose numerators, and denominators, add up to a total."""
    hidden_denominators = _small(denominators)
    hidden_rows = _small(numerators) | hidden_denominators | (False if also is None else also)
    while True:
        denominators_now = secondary(denominators, hidden_denominators, names)
        rows_now = secondary(numerators, hidden_rows | denominators_now, names)
        if (denominators_now == hidden_denominators).all() and (rows_now == hidden_rows).all():
            return hidden_rows, hidden_denominators
        hidden_denominators, hidden_rows = denominators_now, rows_now


def suppress_rows(frame: pd.DataFrame, applies: bool = True, quarters_add_up: bool = False) -> pd.DataFrame:
    """Public view of rows that are each their own total (one indicator over many periods): a small numerator
    or denominator hides the row. With `quarters_add_up` (counts of events), the four quarters of a year
    present in the frame are a family with the year as their total: the year's tile and the other three
    quarters' tiles would give away a quarter hidden alone, so secondary suppression runs across them."""
    out = frame.copy()
    if not applies or out.empty:
        return _nothing_hidden(out)
    numerators, denominators = _counts(out, "numerator"), _counts(out, "denominator")
    hidden_denominators = _small(denominators)
    hidden_rows = _small(numerators) | hidden_denominators
    labels = out["period"].astype(str).to_numpy()
    for year in {label[:7] for label in labels} if quarters_add_up else ():
        family = np.isin(labels, [f"{year}-Q{q}" for q in range(1, 5)])
        if family.sum() == 4:
            hidden_rows[family], hidden_denominators[family] = _family_masks(
                numerators[family], denominators[family], labels[family]
            )
    return _blank(out, hidden_rows, hidden_denominators)


def quarters_add_up(ind: Indicator, registry: Registry) -> bool:
    """Counts of events (and partners' returns, summed over a period) add up over a year's quarters; a
    snapshot (open at the period's end) or a population does not."""
    return (
        ind.local
        and ind.disclosure == "children"
        and not ind.counts_population
        and registry.measure(ind.numerator).kind != "snapshot"
    )


def _counts(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.zeros(len(frame))
    return frame[column].astype(float).fillna(0).to_numpy()


def _nothing_hidden(out: pd.DataFrame) -> pd.DataFrame:
    out["suppressed"], out["denominator_suppressed"] = False, False
    return out


def _blank(out: pd.DataFrame, rows: np.ndarray, denominators: np.ndarray) -> pd.DataFrame:
    """Hidden cells become NaN; `suppressed` and `denominator_suppressed` say which."""
    out["suppressed"], out["denominator_suppressed"] = rows, denominators
    for col in ROW_FIGURES:
        out[col] = out[col].astype(float).where(~rows)
    if "denominator" in out:
        out["denominator"] = out["denominator"].astype(float).where(~denominators)
    return out


def suppress_table(table: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """A two-way table of counts with row and column totals: returns (the table with its hidden cells NaN, cell
    mask, row totals published, column totals published).

    Primary: 1-5 (cells and totals). Secondary: every line with one hidden cell hides another non-zero cell,
    until no hidden cell can be pinned down by the published totals; where no cell is left to hide behind,
    the line's total is withheld instead."""
    values = table.to_numpy(dtype=float)
    mask, known_rows, known_cols = table_mask(
        values, _small(values), ~_small(values.sum(axis=1)), ~_small(values.sum(axis=0))
    )
    return table.astype(float).where(~mask), mask, known_rows, known_cols


def linked_mask(values: np.ndarray, hidden_rows: np.ndarray, hidden_cols: np.ndarray) -> np.ndarray:
    """Cells of a two-way table whose slices are published in separate views (drill A=a then B, and B=b then A;
    a breakdown for each quarter) and whose margins are published views of their own, hidden where the margin
    is. A line whose margin is hidden is hidden whole: its cells shown would add up to the margin."""
    mask = _small(values) | hidden_rows[:, None] | hidden_cols[None, :]
    return table_mask(values, mask, ~hidden_rows, ~hidden_cols)[0]


def table_mask(
    values: np.ndarray, mask: np.ndarray, known_rows: np.ndarray, known_cols: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Secondary suppression in a two-way table from the cells hidden so far and the totals published."""
    mask, known_rows, known_cols = mask.copy(), known_rows.copy(), known_cols.copy()
    changed = True
    while changed:
        changed = False
        for axis in (0, 1):
            lines, vals = (mask, values) if axis == 1 else (mask.T, values.T)
            for i in range(lines.shape[0]):
                new = secondary(vals[i], lines[i])
                if (new != lines[i]).any():
                    lines[i] = new
                    changed = True
        for r, c in zip(*np.nonzero(mask)):
            if not determined(mask, r, c, known_rows, known_cols):
                continue
            free = [(r, j) for j in np.argsort(values[r]) if not mask[r, j] and values[r, j] > 0] + [
                (i, c) for i in np.argsort(values[:, c]) if not mask[i, c] and values[i, c] > 0
            ]
            if free:
                mask[free[0]] = True
            else:
                known_rows[r] = known_cols[c] = False
            changed = True
            break
    return mask, known_rows, known_cols


def _small(values: np.ndarray) -> np.ndarray:
    return (values >= SMALL[0]) & (values <= SMALL[1])


def determined(mask: np.ndarray, r: int, c: int, known_rows: np.ndarray, known_cols: np.ndarray) -> bool:
    """Is hidden cell (r, c) fixed by the published totals? In the graph whose nodes are rows and columns and
    whose edges are hidden cells, it is when the cell is a bridge and one side of it has every total published."""
    row_side = _component(mask, ("r", r), (r, c))
    if ("c", c) in row_side:
        return False  # on a cycle of hidden cells
    col_side = _component(mask, ("c", c), (r, c))
    return _all_known(row_side, known_rows, known_cols) or _all_known(col_side, known_rows, known_cols)


def _component(mask: np.ndarray, start: tuple[str, int], skip: tuple[int, int]) -> set[tuple[str, int]]:
    seen, frontier = {start}, [start]
    while frontier:
        kind, i = frontier.pop()
        if kind == "r":
            nxt = [("c", int(j)) for j in np.nonzero(mask[i])[0] if (i, j) != skip]
        else:
            nxt = [("r", int(k)) for k in np.nonzero(mask[:, i])[0] if (k, i) != skip]
        for node in nxt:
            if node not in seen:
                seen.add(node)
                frontier.append(node)
    return seen


def _all_known(nodes: set[tuple[str, int]], known_rows: np.ndarray, known_cols: np.ndarray) -> bool:
    return all(known_rows[i] if kind == "r" else known_cols[i] for kind, i in nodes)
