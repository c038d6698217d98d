"""A tile's inputs for every period at once (summary.TileInputs), computed in bulk when a store is published.

Each answer equals the live one (tile_inputs.LiveInputs) for the same question: the same engine rows (batch_totals),
the same disclosure control over them, the same SPC series; the precompute test holds them to it."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import duckdb
import numpy as np
import pandas as pd

from cscp_metrics.council import comparators
from cscp_metrics.indicators import series
from cscp_metrics.indicators.areas import neighbours, partnership_area, resolve_area
from cscp_metrics.indicators.disclosure import quarters_add_up, suppress_rows
from cscp_metrics.indicators.engine import published_rows_of, with_intervals
from cscp_metrics.indicators.periods import Period, parse_period
from cscp_metrics.indicators.registry import Indicator, Registry, refs
from cscp_metrics.indicators.registry.refs import CountedRef
from cscp_metrics.indicators.summary import is_published, monthly_series, spc_text
from cscp_metrics.ready.batch_totals import totals
from cscp_metrics.store import aggregates

TREND_YEARS = 6


@cache
def _trend_labels(label: str) -> tuple[str, ...]:
    """summary.yearly_trend's periods: the same period in each of the years up to this one."""
    period = parse_period(label)
    return tuple(period.shifted(-12 * back).label for back in range(TREND_YEARS - 1, -1, -1))


def needed_periods(labels: list[str]) -> list[Period]:
    """The periods shown, with the same periods in the years before (trends, last year's change)."""
    out = {parse_period(label).shifted(-12 * back).label: None for label in labels for back in range(TREND_YEARS)}
    return [parse_period(label) for label in out]


class BatchInputs:
    def __init__(self, con: duckdb.DuckDBPyConnection, registry: Registry, labels: list[str]) -> None:
        self.con, self.registry = con, registry
        self.periods = needed_periods(labels)
        self.own = partnership_area(con)
        self._comparators = comparators(con)
        self._codes = {key: resolve_area(con, name) for key, name in self._comparators.items() if key != "sn"}
        self._populations: dict[tuple[str, int], float] = {}
        self._vintages: dict[int, str] = {}
        for source, mid_year, population, vintage in con.execute(
            "SELECT source, mid_year, population, vintage FROM population WHERE area_code = ? ORDER BY vintage",
            [self.own],
        ).fetchall():  # the newest vintage last, so it wins
            self._populations[(source, mid_year)] = float(population)
            if source == "partnership":
                self._vintages[mid_year] = vintage
        self._published = published_rows_of(con, list(registry.indicators))  # by indicator, as the engine reads them
        self._neighbour_values: dict[tuple[str, str], list[float]] | None = None
        self._rows: dict[tuple[str, bool], pd.DataFrame] = {}
        self._trends: dict[tuple[str, str, bool], pd.DataFrame] = {}
        self._records: dict[tuple[str, bool], dict[str, dict]] = {}
        self._trend_rows: dict[tuple[str, bool], dict[str, tuple[object, bool, bool]]] = {}
        self._histories: dict[str, pd.DataFrame | None] = {}
        self._spc: dict[tuple[str, str, bool], str] = {}

    def comparators(self) -> dict[str, str]:
        return self._comparators

    def population(self, period: Period, basis: str) -> float | None:
        return self._populations.get((basis, period.fy_start_year))

    def base_vintage(self, period: Period) -> str | None:
        return self._vintages.get(period.fy_start_year)

    def rows(self, ind: Indicator, public: bool) -> pd.DataFrame:
        """Every needed period's total row in the engine's shape; public: under disclosure control."""
        key = (ind.id, public)
        if key not in self._rows:
            if public:
                frame = suppress_rows(
                    self.rows(ind, False), ind.disclosure == "children", quarters_add_up(ind, self.registry)
                )
            else:
                frame = totals(self.con, self.registry, ind, self.periods, self._populations)
            self._rows[key] = frame.reset_index(drop=True)
        return self._rows[key]

    def total(self, ind: Indicator, period: str, public: bool) -> Mapping[str, object]:
        """One period's row as a mapping (a tile reads it by column, as it reads the engine's row)."""
        key = (ind.id, public)
        if key not in self._records:
            frame = self.rows(ind, public)
            self._records[key] = dict(zip(frame["period"], frame.to_dict("records")))
        return self._records[key][parse_period(period).label]

    def public_same(self, ind: Indicator, period: Period) -> bool:
        """Whether disclosure control changes nothing on this period's tile: no cell of its row or trend hidden."""
        row = self.total(ind, period.label, True)
        if row["suppressed"] or row["denominator_suppressed"]:
            return False
        values = self._trend_values(ind, True)  # the trend's cells, without making its frame
        return not any(values[label][1] for label in _trend_labels(period.label))

    def comparator_value(self, ind: Indicator, period: Period, comparator: str) -> float | None:
        if not comparator or comparator == "none":
            return None
        year = period.financial_year_of().fy_label
        if comparator == "sn":
            return self._neighbours_mean(ind.id, year)
        code = self._codes.get(comparator) or resolve_area(self.con, comparator)
        if code is None:
            return None
        row = self._published.get(ind.id, {}).get((year, code))
        value = None if row is None else row[2]
        return None if value is None or pd.isna(value) else float(value)

    def _neighbours_mean(self, indicator_id: str, year: str) -> float | None:
        if self._neighbour_values is None:
            codes = neighbours(self.con, self.own) if self.own else []
            self._neighbour_values = {}
            for ind_id, period, value in self.con.execute(  # in the table's order, as the engine's query reads them
                f"SELECT indicator_id, period, value FROM benchmarks WHERE area_code IN "
                f"({', '.join('?' * len(codes)) or 'NULL'}) AND value IS NOT NULL ORDER BY rowid",
                codes,
            ).fetchall():
                self._neighbour_values.setdefault((ind_id, period), []).append(value)
        values = self._neighbour_values.get((indicator_id, year))
        return float(np.mean(values)) if values else None

    def trend(self, ind: Indicator, period: Period, public: bool) -> pd.DataFrame:
        """One frame per indicator, period and view, shared by the tiles of every comparator (never modified)."""
        key = (ind.id, period.label, public)
        if key not in self._trends:
            labels = _trend_labels(period.label)
            values = self._trend_values(ind, public)
            shown = np.empty(len(labels), dtype=object)  # each year's figure as the engine gave it (None or NaN)
            shown[:] = [values[label][0] for label in labels]
            hidden = [values[label][1] for label in labels]
            published = [values[label][2] for label in labels]
            self._trends[key] = pd.DataFrame(
                {"period": np.array(labels, dtype=object), "value": shown, "suppressed": hidden, "published": published}
            )
        return self._trends[key]

    def _trend_values(self, ind: Indicator, public: bool) -> dict[str, tuple[object, bool, bool]]:
        """Trends come from the aggregates in one pass where they answer (summary.yearly_trend), else the engine."""
        key = (ind.id, public)
        if key not in self._trend_rows:
            fast = series.totals(self.con, ind, self.periods, self.registry)
            if fast is None:
                frame = self.rows(ind, public)
            elif public:
                frame = suppress_rows(fast, ind.disclosure == "children", quarters_add_up(ind, self.registry))
            else:
                frame = fast
            self._trend_rows[key] = dict(
                zip(
                    frame["period"],
                    zip(frame["value"], frame["suppressed"].astype(bool), is_published(frame["source"])),
                )
            )
        return self._trend_rows[key]

    def spc(self, ind: Indicator, period: Period, dfe_published: bool) -> str:
        key = (ind.id, period.label, dfe_published)
        if key not in self._spc:
            if dfe_published:  # as LiveInputs.spc
                self._spc[key] = spc_text(ind, None, self.yearly(ind, period.label))
            else:
                self._spc[key] = spc_text(ind, self.monthly(ind, period), None)
        return self._spc[key]

    def monthly(self, ind: Indicator, period: Period, months: int = 24) -> pd.DataFrame:
        """summary.monthly_series, sliced from the indicator's whole monthly history."""
        if not _has_months(self.registry, ind):
            return _NO_MONTHS
        history = self._month_history(ind)
        if history is None:
            return monthly_series(self.con, ind, period, months)
        last = Period.month(period.end.year, period.end.month)
        starts = history["start"].to_numpy()
        first, stop = (
            starts.searchsorted(np.datetime64(last.shifted(-months).start)),
            starts.searchsorted(np.datetime64(period.end), side="right"),
        )
        return history.iloc[max(first, stop - months) : stop][["period", "value", "numerator", "denominator"]]

    def _month_history(self, ind: Indicator) -> pd.DataFrame | None:
        """Every month's row for an event-based case-level count or proportion, in month order; None: ask live."""
        if ind.id in self._histories:
            return self._histories[ind.id]
        history = None
        denominator = refs.counted(ind.denominator) if ind.statistic == "proportion" else None
        numerator = refs.counted(ind.numerator)
        counted = [r for r in (numerator, denominator) if r is not None]
        if numerator is not None and all(_monthly_ready(self.con, self.registry, ref) for ref in counted):
            frame = _months(self.con, numerator.measure).rename(columns={"v": "numerator"})
            if denominator is not None:
                den = _months(self.con, denominator.measure).rename(columns={"v": "denominator"})
                den = den[["period", "denominator"]]
                frame = frame.merge(den, on="period", how="left")
            else:
                frame["denominator"] = np.nan
            history = with_intervals(frame, ind)
        self._histories[ind.id] = history
        return history

    def yearly(self, ind: Indicator, label: str) -> pd.DataFrame:
        from cscp_metrics.indicators.series import yearly_series

        return yearly_series(self.con, ind, label)


_NO_MONTHS = pd.DataFrame(columns=["period", "value", "numerator", "denominator"])


def _has_months(registry: Registry, ind: Indicator) -> bool:
    """summary.monthly_series gives an SPC series (event-based case-level counts and proportions only)."""
    return (
        ind.local
        and not ind.counts_population
        and not ind.from_returns
        and ind.statistic in ("count", "proportion")
        and registry.measure(ind.numerator).kind != "snapshot"
    )


def _monthly_ready(con: duckdb.DuckDBPyConnection, registry: Registry, ref: CountedRef) -> bool:
    """Months come from the aggregates when they are up to date and the measure's filter is not date-dependent."""
    measure = registry.measure(ref)
    return (
        measure.kind == "event"
        and "{" not in measure.filter
        and aggregates._covered_periods(con, measure.id, "") is not None
    )


def _months(con: duckdb.DuckDBPyConnection, measure_id: str) -> pd.DataFrame:
    frame = con.execute(
        "SELECT strftime(period_start, '%Y-%m') AS period, period_start AS start, v FROM measure_aggregates "
        "WHERE measure_id = ? AND dimension = '' AND period_kind = 'month' ORDER BY period_start",
        [measure_id],
    ).df()
    frame["start"] = pd.to_datetime(frame["start"]).astype("datetime64[ns]")
    if frame["v"].notna().all() and (frame["v"] % 1 == 0).all():
        frame["v"] = frame["v"].astype("int64")
    return frame
