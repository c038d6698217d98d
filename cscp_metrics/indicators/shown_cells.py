"""How a view shows a cell that disclosure control hides: 'c', written only at the edges (tables, downloads, the
CLI, chart labels); inside, a hidden cell is NaN and a boolean column says it is hidden (disclosure.HIDDEN_FLAGS)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeAlias

import pandas as pd

from cscp_metrics.indicators.disclosure import HIDDEN_FLAGS

SUPPRESSED = "c"
Shown: TypeAlias = float | str | None  # a figure as a view shows it: a number, SUPPRESSED, or None for no figure


def marked(value: Shown, hidden: bool) -> Shown:
    """A cell as a view shows it: 'c' where disclosure control hides it, else its figure."""
    return SUPPRESSED if hidden else value


def published(
    frame: pd.DataFrame, whole: tuple[str, ...] = (), flags: Mapping[str, str] = HIDDEN_FLAGS
) -> pd.DataFrame:
    """A public frame as a table or download shows it: 'c' in each hidden cell, by the frame's boolean columns
    (`flags`: column -> the column saying which of its cells are hidden). `whole`: columns whose figures were
    whole numbers before hiding (shown as 12, not 12.0)."""
    out = frame.copy()
    for column, flag in flags.items():
        if column in out and flag in out:
            cells = [int(v) if column in whole and not pd.isna(v) else v for v in out[column].tolist()]
            out[column] = pd.Series(
                [marked(v, bool(h)) for v, h in zip(cells, out[flag])], index=out.index, dtype=object
            )
    return out
