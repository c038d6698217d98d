"""The generic engine: any indicator, any period, area and breakdown, in DuckDB SQL."""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from cscp_metrics.indicators import areas, partner_values
from cscp_metrics.indicators.periods import Period, parse_period
from cscp_metrics.indicators.registry import Indicator, Measure, Registry, load_registry
from cscp_metrics.indicators.registry.refs import MeasureRef, Ref
from cscp_metrics.read_memo import remembered
from cscp_metrics.stats.table import STATISTICS
from cscp_metrics.store import aggregates
from cscp_metrics.store.statements import first_row

COLUMNS = [
    "indicator_id",
    "period",
    "area",
    "breakdown",
    "breakdown_value",
    "numerator",
    "denominator",
    "value",
    "lower_ci",
    "upper_ci",
    "unit",
    "method",
    "source",
    "suppressed",
    "note",
]
DFE_PUBLISHED = "DfE published"  # the source of the council's own figure when no local record covers the year


def _dimension_sql(registry: Registry, measure: Measure, dimension: str | None) -> str:
    if dimension is None:
        return "NULL"
    if measure.kind == "partner":
        return "breakdown_value"
    table = registry.tables[measure.table]
    if dimension == "month":
        return f"strftime({table.date}, '%Y-%m')"
    return table.dimensions[dimension]


def measure_sql(
    registry: Registry,
    measure: Measure,
    period: Period,
    dimension: str | None = None,
    where: dict[str, str] | None = None,
) -> tuple[str, list[str]]:
    """A table measure's live query (columns b, v) and its parameters: the drill values, bound.
    The names in it come from the registry, never from a file or a URL (the drill's values are parameters)."""
    table = registry.tables[measure.table]
    start, end = period.start.isoformat(), period.end.isoformat()
    where_period = (
        f"{table.date} <= DATE '{end}' AND ({table.end} IS NULL OR {table.end} > DATE '{end}')"
        if measure.kind == "snapshot"
        else f"{table.date} BETWEEN DATE '{start}' AND DATE '{end}'"
    )
    extra = measure.filter.format(start=start, end=end) if measure.filter else "true"
    drill = [
        (_dimension_sql(registry, measure, d), v)
        for d, v in (where or {}).items()
        if d == "month" or d in table.dimensions
    ]
    drill_sql = "".join(f" AND CAST({expr} AS VARCHAR) = ?" for expr, _ in drill)
    sql = (
        f"SELECT {_dimension_sql(registry, measure, dimension)} AS b, {measure.agg} AS v FROM {table.name} "
        f"WHERE {where_period} AND ({extra}){drill_sql} GROUP BY ALL"
    )
    return sql, [v for _, v in drill]


def measure_values(
    con: duckdb.DuckDBPyConnection,
    registry: Registry,
    ref: Ref,
    period: Period,
    dimension: str | None = None,
    where: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Columns b (breakdown value, None for the total) and v. Empty frame: no data covers the period."""
    measure = registry.measure(ref)
    if measure.kind == "partner":
        return partner_values.values(con, measure.id, period, dimension)
    if not where:
        ready = aggregates.lookup(con, measure, period, dimension)
        if ready is not None:
            return ready
    table = registry.tables[measure.table]
    if not _covers(con, table.name, table.date, period, measure.lookback_years):
        return pd.DataFrame({"b": [None] if dimension is None else [], "v": [np.nan] if dimension is None else []})
    sql, params = measure_sql(registry, measure, period, dimension, where)
    frame = con.execute(sql, params).df()
    if dimension is None and frame.empty:
        frame = pd.DataFrame({"b": [None], "v": [0]})
    return frame


def _covers(con: duckdb.DuckDBPyConnection, table: str, date_col: str, period: Period, lookback_years: int = 0) -> bool:
    first, last = _date_range(con, table, date_col)
    if first is None or period.start > _as_date(last):
        return False
    return _as_date(first) <= _years_before(period.end, lookback_years)


def records_start_too_late(con: duckdb.DuckDBPyConnection, registry: Registry, ref: Ref, period: Period) -> date | None:
    """The first record's date where the records do not reach back the measure's look-back from the period's end
    (None for a reference that is not a measure of records: the population, a partner return, DfE's only)."""
    if not isinstance(ref, MeasureRef):
        return None
    measure = registry.measure(ref)
    if not measure.lookback_years or measure.kind == "partner":
        return None
    table = registry.tables[measure.table]
    first, last = _date_range(con, table.name, table.date)
    if (
        first is None
        or period.start > _as_date(last)
        or _as_date(first) <= _years_before(period.end, measure.lookback_years)
    ):
        return None  # no records for the period at all, or records reaching back far enough
    return _as_date(first)


def _years_before(day: date, years: int) -> date:
    """The same day `years` earlier (29 February to 28 February), as DuckDB's INTERVAL subtracts years."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@remembered
def _date_range(con: duckdb.DuckDBPyConnection, table: str, date_col: str) -> tuple:
    return first_row(con, f"SELECT min({date_col}), max({date_col}) FROM {table}")


def _as_date(value):
    return value.date() if hasattr(value, "date") and callable(value.date) else value


@remembered
def population(con: duckdb.DuckDBPyConnection, area_code: str | None, period: Period, basis: str) -> float | None:
    """Children aged 0-17: the year ending 31 March Y uses the mid-year estimate for Y-1 (as DfE)."""
    row = con.execute(
        "SELECT population FROM population WHERE area_code = ? AND mid_year = ? AND source = ? ORDER BY vintage DESC",
        [area_code, period.fy_start_year, basis],
    ).fetchone()
    return float(row[0]) if row else None


def with_intervals(frame: pd.DataFrame, ind: Indicator) -> pd.DataFrame:
    """value, lower_ci, upper_ci and method from the numerator and denominator (stats.table.STATISTICS), in a new
    frame built in one go (setting four columns copied the frame's blocks four times)."""
    rows = len(frame)
    added: dict[str, object]
    if ind.statistic in STATISTICS:
        found = STATISTICS[ind.statistic](frame["numerator"], frame["denominator"], multiplier=ind.multiplier)
        added = {
            "value": found["value"].to_numpy(),
            "lower_ci": found["lower"].to_numpy(),
            "upper_ci": found["upper"].to_numpy(),
            "method": [found["method"].iloc[0] if rows else ""] * rows,
        }
    else:
        added = {"lower_ci": np.full(rows, np.nan), "upper_ci": np.full(rows, np.nan), "method": [""] * rows}
        if ind.statistic == "amount":
            added = {"value": frame["numerator"].astype(float).to_numpy(), **added}
    kept = {column: added.get(column, frame[column]) for column in frame.columns}
    return pd.DataFrame({**kept, **{c: v for c, v in added.items() if c not in kept}}, index=frame.index)


@remembered
def compute(
    con: duckdb.DuckDBPyConnection,
    indicator_id: str,
    period: str | Period,
    *,
    area: str | None = None,
    breakdown: str | None = None,
    basis: str | None = None,
    registry: Registry | None = None,
    where: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per breakdown value (or one total row), in the engine's output shape (COLUMNS)."""
    registry = registry or load_registry()
    ind = registry.indicators.get(indicator_id)
    if ind is None:
        raise KeyError(f"unknown indicator '{indicator_id}'; `cscp indicators` lists them")
    period = parse_period(period) if isinstance(period, str) else period
    own = areas.partnership_area(con)
    code = own if area is None else areas.resolve_area(con, area)
    basis = basis or ("local" if code == own or code is None else "dfe")
    if basis == "dfe" or not ind.local:
        frame = _from_benchmarks(con, ind, period, code, own)
    else:
        frame = _local(con, registry, ind, period, breakdown, own, where or {})
        if breakdown is None and not where and pd.isna(frame["value"].iloc[0]) and period.kind == "year":
            frame = _dfe_published_instead(con, ind, period, own, frame)
    if breakdown and len(frame) > 1:  # in the order of their values, not of the rows scanned: the same every time
        frame = frame.sort_values("breakdown_value", key=lambda v: v.astype(str), na_position="last", kind="stable")
    named = {"indicator_id": ind.id, "period": period.label, "unit": ind.unit, "area": areas.area_label(con, code)}
    return _shaped(frame.reset_index(drop=True), {**named, "breakdown": breakdown or "", "suppressed": False})


def _shaped(frame: pd.DataFrame, same_for_all: dict[str, object]) -> pd.DataFrame:
    """The engine's COLUMNS built in one go: setting columns one by one copied the frame's blocks each time (a
    third of a tile's time went in it)."""
    rows = len(frame)
    columns: dict[str, object] = {}
    for column in COLUMNS:
        if column in same_for_all:
            columns[column] = [same_for_all[column]] * rows
        elif column in frame.columns:
            columns[column] = frame[column]
        else:
            columns[column] = np.full(rows, np.nan)
    return pd.DataFrame(columns, index=frame.index)


def _local(
    con,
    registry: Registry,
    ind: Indicator,
    period: Period,
    breakdown: str | None,
    own: str | None,
    where: dict[str, str],
) -> pd.DataFrame:
    if ind.counts_population:
        pop = population(con, own, period, "partnership")
        frame = pd.DataFrame({"b": [None], "numerator": [pop], "denominator": [np.nan]})
    else:
        frame = measure_values(con, registry, ind.numerator, period, breakdown, where)
        frame.columns = ["b", "numerator"]  # measure_values' b and v, renamed in place (a rename copies the frame)
    if ind.statistic == "change":
        before = measure_values(con, registry, ind.numerator, period.same_period_last_year(), breakdown)
        frame["denominator"] = _matched(frame["b"], before)
        frame["value"] = (frame["numerator"] - frame["denominator"]) / frame["denominator"] * 100
    elif ind.per_population:
        frame["denominator"] = population(con, own, period, "partnership")
    elif ind.denominator is not None:
        dim = breakdown if breakdown in _dims(registry, ind.denominator) else None
        den_where = {d: v for d, v in where.items() if d in _dims(registry, ind.denominator)}
        den = measure_values(con, registry, ind.denominator, period, dim, den_where)
        frame["denominator"] = _matched(frame["b"], den) if dim else (den["v"].sum() if len(den) else np.nan)
    else:
        frame["denominator"] = np.nan
    frame = with_intervals(frame, ind)
    if ind.per_population and breakdown:
        frame[["value", "lower_ci", "upper_ci"]] = np.nan
        frame["note"] = "no population by this breakdown: counts only"
    frame["source"] = "local: " + ind.source
    frame.columns = ["breakdown_value", *frame.columns[1:]]
    return frame


def _matched(values: pd.Series, found: pd.DataFrame) -> np.ndarray:
    """found's v for each breakdown value (NaN where it has none): a left join on b, without merge's copies."""
    by_value = dict(zip(found["b"], found["v"]))
    if all(value in by_value for value in values):  # merge keeps found's dtype (counts stay integers) when all match
        return np.array([by_value[value] for value in values], dtype=found["v"].dtype)
    return np.array([by_value.get(value, np.nan) for value in values], dtype=float)


def _dfe_published_instead(con, ind: Indicator, period: Period, own: str | None, local: pd.DataFrame) -> pd.DataFrame:
    """No local record covers the year: the council's own figure is DfE's published one, where DfE has it."""
    published = _from_benchmarks(con, ind, period, own, own) if own else None
    if published is None or pd.isna(published["value"].iloc[0]):
        return local
    return published


def _dims(registry: Registry, ref: Ref) -> set[str]:
    measure = registry.measure(ref)
    if measure.kind == "partner":
        return set()
    return set(registry.tables[measure.table].dimensions) | {"month"}


@remembered
def published_rows(con: duckdb.DuckDBPyConnection, indicator_id: str) -> dict[tuple[str, str], tuple]:
    """(year, area) -> DfE's numerator, denominator, value, missing reason and source, the first source's: one
    query an indicator, where a where-to-look build asks for hundreds of its years and areas."""
    return published_rows_of(con, [indicator_id]).get(indicator_id, {})


def published_rows_of(con: duckdb.DuckDBPyConnection, indicator_ids: list[str]) -> dict[str, dict]:
    """published_rows for many indicators in one query (a publish asks for every indicator's)."""
    found: dict[str, dict[tuple[str, str], tuple]] = {}
    for indicator_id, year, area, *row in con.execute(
        "SELECT indicator_id, period, area_code, numerator, denominator, value, missing_reason, source FROM benchmarks "
        "WHERE list_contains(?, indicator_id) ORDER BY indicator_id, period, area_code, source",
        [indicator_ids],
    ).fetchall():
        found.setdefault(indicator_id, {}).setdefault((year, area), tuple(row))
    return found


def _from_benchmarks(con, ind: Indicator, period: Period, code: str | None, own: str | None) -> pd.DataFrame:
    if code == "sn":
        codes = areas.neighbours(con, own) if own else []
        rows = con.execute(
            f"SELECT numerator, denominator, value FROM benchmarks WHERE indicator_id = ? AND period = ? "
            f"AND area_code IN ({', '.join('?' * len(codes)) or 'NULL'}) AND value IS NOT NULL",
            [ind.id, period.fy_label, *codes],
        ).fetchall()
        value = float(np.mean([r[2] for r in rows])) if rows else np.nan
        frame = pd.DataFrame(
            {
                "breakdown_value": [None],
                "numerator": [np.nan],
                "denominator": [np.nan],
                "value": [value],
                "lower_ci": [np.nan],
                "upper_ci": [np.nan],
                "method": ["mean of statistical neighbours"],
                "source": [f"DfE, {areas.neighbour_model(con)} statistical neighbours"],
                "note": [f"{len(rows)} of {len(codes)} neighbours published"],
            }
        )
        return frame
    row = published_rows(con, ind.id).get((period.fy_label, code)) if code else None
    if period.kind != "year" or row is None:
        note = "DfE publishes financial years only" if period.kind != "year" else "not published by DfE"
        return pd.DataFrame(
            {
                "breakdown_value": [None],
                "numerator": [np.nan],
                "denominator": [np.nan],
                "value": [np.nan],
                "source": ["DfE"],
                "note": [note],
            }
        )
    frame = pd.DataFrame({"breakdown_value": [None], "numerator": [row[0]], "denominator": [row[1]], "value": [row[2]]})
    if (
        row[0] is not None
        and ind.statistic in ("proportion", "rate", "count")
        and (row[1] is not None or ind.statistic == "count")
    ):
        frame = with_intervals(frame, ind)
        frame["value"] = row[2]
    frame["source"] = (DFE_PUBLISHED + ": " if code == own else "DfE: ") + row[4]
    frame["note"] = row[3]
    return frame
