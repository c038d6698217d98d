"""A tile's inputs read live from the store: the engine's answers, one question at a time (summary.TileInputs)."""

from __future__ import annotations

import duckdb
import pandas as pd

from cscp_metrics.council import comparators
from cscp_metrics.indicators.areas import partnership_area
from cscp_metrics.indicators.engine import population
from cscp_metrics.indicators.periods import Period
from cscp_metrics.indicators.registry import Indicator
from cscp_metrics.indicators.summary import (
    _row,
    base_vintage,
    comparator_value,
    monthly_series,
    spc_text,
    yearly_trend,
)


class LiveInputs:
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def total(self, ind: Indicator, period: str, public: bool) -> pd.Series:
        return _row(self.con, ind, period, public)

    def comparator_value(self, ind: Indicator, period: Period, comparator: str) -> float | None:
        return comparator_value(self.con, ind, period, comparator)

    def population(self, period: Period, basis: str) -> float | None:
        return population(self.con, partnership_area(self.con), period, basis)

    def base_vintage(self, period: Period) -> str | None:
        return base_vintage(self.con, period)

    def spc(self, ind: Indicator, period: Period, dfe_published: bool) -> str:
        if dfe_published:  # DfE's figure: judged among DfE's years, not on local months from years before
            from cscp_metrics.indicators.series import yearly_series

            return spc_text(ind, None, yearly_series(self.con, ind, period.label))
        return spc_text(ind, monthly_series(self.con, ind, period), None)

    def comparators(self) -> dict[str, str]:
        return comparators(self.con)

    def trend(self, ind: Indicator, period: Period, public: bool) -> pd.DataFrame:
        return yearly_trend(self.con, ind, period, public)
