"""Public views that share counts: the rows of a breakdown to hide because other public views show cells of the
same two-way table. Drill A=a then B and drill B=b then A are the rows and columns of one table A x B, whose
margins are the first level's bars; a breakdown for each quarter is a column of the table dimension x quarter,
whose margins are the year's breakdown and the quarter tiles. Every view is its slice of one table suppressed
as a whole (disclosure.linked_mask), so a hidden cell is hidden in every view, and no hidden cell is a published
margin less the cells shown."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from cscp_metrics.indicators.disclosure import NOT_RECORDED, linked_mask, quarters_add_up
from cscp_metrics.indicators.engine import compute
from cscp_metrics.indicators.periods import parse_period
from cscp_metrics.indicators.registry import Indicator, load_registry

OneWay = Callable[[str, str], pd.DataFrame]  # (period, dimension) -> public breakdown, no drill filter
Tiles = Callable[[list[str]], pd.DataFrame]  # period labels -> public total rows


def hidden_rows(
    con,
    ind: Indicator,
    period: str,
    dimension: str,
    where: dict[str, str],
    frame: pd.DataFrame,
    one_way: OneWay,
    tiles: Tiles,
) -> np.ndarray | None:
    """Rows of `frame` (this view, breakdown_value named) that the shared table hides; None: no shared table."""
    label = parse_period(period).label
    if len(where) == 1 and dimension not in where:
        line = _two_dimensions(con, ind, label, dimension, *next(iter(where.items())), one_way)
    elif not where and "-Q" in label and quarters_add_up(ind, load_registry()):
        line = _quarters(con, ind, label, dimension, one_way, tiles)
    else:
        return None
    if line is None:
        return None
    return frame["breakdown_value"].astype(str).map(line).fillna(False).astype(bool).to_numpy()


def _numerators(frame: pd.DataFrame) -> pd.Series:
    names = frame["breakdown_value"].astype(object).where(frame["breakdown_value"].notna(), NOT_RECORDED).astype(str)
    return pd.Series(frame["numerator"].astype(float).fillna(0).to_numpy(), index=names)


def _hidden(public: pd.DataFrame, names: list[str]) -> np.ndarray:
    hidden = dict(zip(public["breakdown_value"].astype(str), public["suppressed"]))
    return np.array([bool(hidden.get(n, False)) for n in names])


def _two_dimensions(
    con, ind: Indicator, period: str, dimension: str, first: str, value: str, one_way: OneWay
) -> dict[str, bool] | None:
    r, c = sorted((first, dimension), key=ind.breakdowns.index)  # one orientation whichever path reached it
    margin_r, margin_c = (_numerators(compute(con, ind.id, period, breakdown=d)) for d in (r, c))
    rows, cols = list(margin_r.index), list(margin_c.index)
    values = np.zeros((len(rows), len(cols)))
    for i, name in enumerate(rows):
        if name != NOT_RECORDED:
            values[i] = (
                _numerators(compute(con, ind.id, period, breakdown=c, where={r: name}))
                .groupby(level=0)
                .sum()
                .reindex(cols)
                .fillna(0)
                .to_numpy()
            )
    if NOT_RECORDED in rows:  # never a drill filter: the column margins less the recorded rows
        i = rows.index(NOT_RECORDED)
        values[i] = margin_c.to_numpy() - np.delete(values, i, axis=0).sum(axis=0)
    mask = linked_mask(values, _hidden(one_way(period, r), rows), _hidden(one_way(period, c), cols))
    if r == first:
        return dict(zip(cols, mask[rows.index(value)])) if value in rows else None
    return dict(zip(rows, mask[:, cols.index(value)])) if value in cols else None


def _quarters(
    con, ind: Indicator, period: str, dimension: str, one_way: OneWay, tiles: Tiles
) -> dict[str, bool] | None:
    year = period[:7]
    quarters = [f"{year}-Q{q}" for q in range(1, 5)]
    cells = [_numerators(compute(con, ind.id, q, breakdown=dimension)).groupby(level=0).sum() for q in quarters]
    year_true = _numerators(compute(con, ind.id, year, breakdown=dimension)).groupby(level=0).sum()
    rows = sorted(set(year_true.index).union(*(set(q.index) for q in cells)))
    if not rows:
        return None
    values = np.column_stack([q.reindex(rows).fillna(0).to_numpy() for q in cells])
    if not np.allclose(values.sum(axis=1), year_true.reindex(rows).fillna(0).to_numpy()):
        return None  # quarters that do not add up to the year share nothing with it
    shown_tiles = tiles([year] + quarters).set_index("period")
    hidden_cols = np.array(
        [bool(shown_tiles.loc[q, "suppressed"]) if q in shown_tiles.index else False for q in quarters]
    )
    mask = linked_mask(values, _hidden(one_way(year, dimension), rows), hidden_cols)
    return dict(zip(rows, mask[:, quarters.index(period)]))
