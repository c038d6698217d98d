"""A partner measure's values for a period: the agencies' current returns, read once per measure and summed here.

A return is counted in a period when it lies wholly inside it. Without a breakdown the value is the sum of the
period's total rows; a period holding no total row sums all its rows (an agency that sent only a breakdown).
Inside a read_memo scope each measure's rows are read once: a quarter's tiles ask for a partner measure about 20
times (its trend and its comparisons), and each query costs a window over every return."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from cscp_metrics.indicators.periods import Period
from cscp_metrics.read_memo import remembered


@remembered
def _rows(con: duckdb.DuckDBPyConnection, measure_id: str) -> list[tuple]:
    return con.execute(
        "SELECT period_start, period_end, breakdown_dimension, breakdown_value, value "
        "FROM partner_returns_current WHERE measure_id = ?",
        [measure_id],
    ).fetchall()


def values(con: duckdb.DuckDBPyConnection, measure_id: str, period: Period, dimension: str | None) -> pd.DataFrame:
    """Columns b (breakdown value, None for the total) and v; the total is NaN when no return covers the period."""
    inside = [r for r in _rows(con, measure_id) if r[0] >= period.start and r[1] <= period.end]
    if dimension is None:
        totals = [value for _, _, dim, _, value in inside if dim is None]
        counted = totals or [value for *_, value in inside]
        return pd.DataFrame({"b": [None], "v": [float(sum(counted)) if counted else np.nan]})
    sums: dict[str | None, float] = {}
    for _, _, dim, breakdown_value, value in inside:
        if dim == dimension:
            sums[breakdown_value] = sums.get(breakdown_value, 0.0) + value
    return pd.DataFrame({"b": pd.Series(list(sums), dtype=object), "v": pd.Series(list(sums.values()), dtype=float)})
