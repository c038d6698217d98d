"""Every tile (indicator x period x comparator x view) computed when a version is published, and read back.

A tile whose comparator changes nothing but the name on it (a count, a quarter) is stored once, with comparator
'' (the name is filled in when it is read); one that disclosure control leaves unchanged is stored once for both
views (public NULL). Public tiles are computed under disclosure control as live ones are."""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from cscp_metrics.council import comparators
from cscp_metrics.indicators.periods import parse_period
from cscp_metrics.indicators.registry import Registry, load_registry
from cscp_metrics.indicators.summary import TREND_COLUMNS, Tile, tile_from
from cscp_metrics.ready.batch_inputs import BatchInputs
from cscp_metrics.ready.increments import kept_rows
from cscp_metrics.store import years as store_years

# every field a tile is stored with, besides its indicator (stored by id) and its trend (as rows): derived from the
# dataclass, so a field added to Tile is stored and compared without a second list to keep
FIELDS = tuple(f.name for f in dataclasses.fields(Tile) if f.name not in ("indicator", "trend"))


def periods_shown(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The periods the sidebar offers: every year, and the quarters of years with local records."""
    local = store_years.local_years(con)
    return store_years.years(con) + [f"{year}-Q{q}" for year in local for q in range(1, 5)]


def json_ready(value: object) -> object:
    """JSON-ready, keeping None apart from NaN (both mean no figure, but a tile keeps what the engine gave)."""
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def to_json(tile: Tile, trends: dict[int, tuple[pd.DataFrame, list]] | None = None) -> str:
    """trends: a cache by the trend frame's identity, for tiles that share one (the batch's comparators do)."""
    body = {name: json_ready(getattr(tile, name)) for name in FIELDS}
    body["indicator_id"] = tile.indicator.id
    cached = None if trends is None else trends.get(id(tile.trend))
    if cached is None:
        trend = [
            [str(p), json_ready(v), bool(hidden), bool(published)]
            for p, v, hidden, published in zip(
                tile.trend["period"], tile.trend["value"].tolist(), tile.trend["suppressed"], tile.trend["published"]
            )
        ]
        if trends is not None:
            # the frame is kept with its JSON: a freed frame's id() is reused by the next one (this was a flaky test)
            trends[id(tile.trend)] = (tile.trend, trend)
    else:
        trend = cached[1]
    body["trend"] = trend
    return json.dumps(body, allow_nan=True)


def from_json(text: str, comparator_name: str | None = None) -> Tile:
    body = json.loads(text)
    trend = pd.DataFrame(body.pop("trend"), columns=list(TREND_COLUMNS))
    indicator = load_registry().indicators[body.pop("indicator_id")]
    if comparator_name is not None:
        body["comparator"] = comparator_name
    return Tile(indicator=indicator, trend=trend, **body)


def rows(
    con: duckdb.DuckDBPyConnection,
    registry: Registry | None = None,
    inputs: BatchInputs | None = None,
    only: frozenset[str] | None = None,
) -> pd.DataFrame:
    """Every tile as a ready_tiles row, computed from a store that may be open read-only; `only`: those indicators'
    tiles computed, the others' kept as the store holds them (ready/increments.py says when that is right)."""
    registry = registry or load_registry()
    labels = periods_shown(con)
    inputs = inputs or BatchInputs(con, registry, labels)
    keys = list(comparators(con)) or ["england"]
    found: list[tuple] = []
    trends: dict[int, tuple[pd.DataFrame, list]] = {}
    for ind in registry.indicators.values():
        if only is not None and ind.id not in only:
            found += kept_rows(con, "ready_tiles", ind.id)
            continue
        compared = ind.statistic in ("proportion", "rate")
        for label in labels:
            year = "-Q" not in label
            same = inputs.public_same(ind, parse_period(label))
            for public in (False,) if same else (True, False):
                for key in keys if compared and year else keys[:1]:
                    tile = tile_from(inputs, ind.id, label, key, public)
                    found.append(
                        (
                            ind.id,
                            label,
                            key if compared and year else "",
                            None if same else public,
                            to_json(tile, trends),
                        )
                    )
    return pd.DataFrame(found, columns=["indicator_id", "period", "comparator", "public", "tile"])


def read(con: duckdb.DuckDBPyConnection, indicator_id: str, period: str, comparator: str, public: bool) -> Tile | None:
    """The ready tile, or None when there is none for this question (the caller computes it live)."""
    return read_many(con, (indicator_id,), period, comparator, public).get(indicator_id)


def read_many(
    con: duckdb.DuckDBPyConnection, indicator_ids: tuple[str, ...], period: str, comparator: str, public: bool
) -> dict[str, Tile]:
    """A page's ready tiles in one query, by indicator; an indicator without one is left out (computed live)."""
    rows = con.execute(
        "SELECT indicator_id, comparator, tile FROM ready_tiles WHERE list_contains(?, indicator_id) "
        "AND period = ? AND coalesce(public, ?) = ? AND comparator IN (?, '') "
        "ORDER BY indicator_id, comparator",  # a count's one tile ('') first, then the comparator's own
        [list(indicator_ids), period, public, public, comparator],
    ).fetchall()
    names: dict[str, str] | None = None
    found: dict[str, Tile] = {}
    for indicator_id, stored_for, text in rows:
        if not stored_for and names is None:
            names = comparators(con)
        found[indicator_id] = from_json(text, None if stored_for else (names or {}).get(comparator, ""))
    return found


def differences(a: Tile, b: Tile) -> list[str]:
    """The fields where two tiles differ (NaN equals NaN, None equals NaN: both are no figure); [] when identical."""
    differ = [name for name in FIELDS if not _same(getattr(a, name), getattr(b, name))]
    if a.indicator != b.indicator:
        differ.append("indicator")
    left, right = (t.trend[list(TREND_COLUMNS)].to_numpy().tolist() for t in (a, b))
    if len(left) != len(right) or not all(_same(x, y) for pair in zip(left, right) for x, y in zip(*pair)):
        differ.append("trend")
    return differ


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, (float, np.floating)) and math.isnan(value))


def _same(x: Any, y: Any) -> bool:
    if _missing(x) or _missing(y):
        return _missing(x) and _missing(y)
    if isinstance(x, str) or isinstance(y, str):
        return x == y
    # the batch and the live engine add in different orders, so the last bits of a figure can differ
    return math.isclose(float(x), float(y), rel_tol=1e-9, abs_tol=1e-9)
