"""Disclosure control for public views (DfE rules): one module used by every chart, table and download.

Counts of 1 to 5 become 'c'; a rate or percentage whose numerator is suppressed is 'c'; secondary
suppression makes sure no suppressed cell can be worked out from the total and the other cells."""
from __future__ import annotations

import numpy as np
import pandas as pd

SUPPRESSED = "c"
SMALL = (1, 5)


def is_small(values: pd.Series) -> pd.Series:
    v = pd.to_numeric(values, errors="coerce")
    return (v >= SMALL[0]) & (v <= SMALL[1])


def secondary(counts: np.ndarray, primary: np.ndarray) -> np.ndarray:
    """For a group whose total is published: if exactly one cell is suppressed, suppress the next
    smallest non-zero cell too (a zero reveals nothing, so it is never chosen)."""
    mask = primary.copy()
    if mask.sum() == 1:
        candidates = [i for i in np.argsort(counts, kind="stable") if not mask[i] and counts[i] > 0]
        if candidates:
            mask[candidates[0]] = True
        else:
            mask[:] = True if counts.sum() > 0 else mask  # nothing else to hide behind: hide the group
    return mask


def suppress_breakdown(frame: pd.DataFrame, applies: bool = True) -> pd.DataFrame:
    """Public view of an engine frame (one indicator, one period): adds `suppressed` and blanks values.

    Rows of one breakdown share a published total, so secondary suppression runs across them."""
    out = frame.copy()
    if not applies or out.empty:
        out["suppressed"] = False
        return out
    counts = pd.to_numeric(out["numerator"], errors="coerce").fillna(0).to_numpy()
    primary = is_small(out["numerator"]).to_numpy().copy()
    if "denominator" in out and out["breakdown"].eq("").all():
        # a single total row: a small denominator also reveals small numbers
        primary |= is_small(out["denominator"]).to_numpy()
    mask = secondary(counts, primary) if len(out) > 1 else primary
    out["suppressed"] = mask
    for col in ("numerator", "value", "lower_ci", "upper_ci"):
        out[col] = out[col].astype(object).where(~mask, SUPPRESSED)
    return out


def suppress_table(table: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """A two-way table of counts with row and column totals published: returns (shown table, mask).

    Primary: 1-5. Secondary: repeat until every row and column holds 0 or at least 2 suppressed cells,
    and every suppressed cell lies on a cycle of suppressed cells (so the margins cannot pin it down)."""
    values = table.to_numpy(dtype=float)
    mask = (values >= SMALL[0]) & (values <= SMALL[1])
    changed = True
    while changed:
        changed = False
        for axis in (0, 1):
            lines = mask if axis == 1 else mask.T
            vals = values if axis == 1 else values.T
            for i in range(lines.shape[0]):
                new = secondary(vals[i], lines[i])
                if (new != lines[i]).any():
                    lines[i] = new
                    changed = True
        for r, c in zip(*np.nonzero(mask)):
            if determined(mask, r, c):
                row_free = [j for j in np.argsort(values[r]) if not mask[r, j] and values[r, j] > 0]
                if row_free:
                    mask[r, row_free[0]] = True
                    changed = True
    shown = table.astype(object).where(~mask, SUPPRESSED)
    return shown, mask


def determined(mask: np.ndarray, r: int, c: int) -> bool:
    """Is cell (r, c) fixed by the row and column totals? True when it is not on a cycle of suppressed cells,
    i.e. removing it disconnects its row from its column in the bipartite graph of suppressed cells."""
    rows, cols = mask.shape
    seen_rows, seen_cols = {r}, set()
    frontier = [("r", r)]
    while frontier:
        kind, i = frontier.pop()
        if kind == "r":
            for j in range(cols):
                if mask[i, j] and not (i == r and j == c) and j not in seen_cols:
                    seen_cols.add(j)
                    frontier.append(("c", j))
        else:
            for k in range(rows):
                if mask[k, i] and not (k == r and i == c) and k not in seen_rows:
                    seen_rows.add(k)
                    frontier.append(("r", k))
    return c not in seen_cols


def safe_for_spreadsheet(frame: pd.DataFrame) -> pd.DataFrame:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe in downloads."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v)
    return out
