"""Run the benchmark: generate, load, time the engine against its baselines, report ratios (medians)."""

from __future__ import annotations

import importlib.util
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb
import pandas as pd

from cscp_metrics.bench import baselines, synth
from cscp_metrics.indicators.engine import compute
from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.ready.publish import SECOND_PROCESS, refresh_file
from cscp_metrics.store import aggregates
from cscp_metrics.store import connection as store
from cscp_metrics.store.loading import load_file
from cscp_metrics.store.sql_quoting import literal
from cscp_metrics.store.statements import scalar

LOAD_ORDER = ("children", "contacts", "referrals", "cp_plans", "looked_after_episodes", "missing_episodes")
YEAR, START, END = "2019-20", "2019-04-01", "2020-03-31"
PAGE = ("contacts", "referrals", "re_referral_rate")
GOALS = {
    "catalogue_vs_pandas": ">= 5",
    "catalogue_vs_sql": "<= 1.5",
    "page_query_vs_pandas": ">= 50",
    "load_vs_plain": "<= 3",
    "rerun_vs_bare": "<= 1.3",
    "where_to_look_vs_bare": "<= 2",
    "first_view_vs_warm": "<= 3",
    "peak_memory_mb": "<= 4096",
}
PAGE_RATIOS = {
    "rerun_vs_bare": ("rerun_app", "rerun_bare"),
    "where_to_look_vs_bare": ("look_app", "look_bare"),
    "first_view_vs_warm": ("first_view", "warm_view"),
}


T = TypeVar("T")


def _timed(work: Callable[[], T], repeats: int) -> tuple[float, list[float], T]:
    runs = []
    for _ in range(max(1, repeats)):
        started = time.perf_counter()
        result = work()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), runs, result


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _machine() -> dict:
    with open("/proc/meminfo") as handle:
        total_kb = int(next(line for line in handle if line.startswith("MemTotal")).split()[1])
    return {"cores": os.cpu_count(), "memory_gb": round(total_kb / 1024 / 1024, 1)}


def _load_validated(files: synth.SynthFiles, path: Path) -> None:
    path.unlink(missing_ok=True)
    con = store.connect(path)
    for table in LOAD_ORDER:
        result = load_file(con, table, files.files[table])
        if not result.ok:
            raise RuntimeError("\n".join(result.messages))
    con.close()


def _load_plain(files: synth.SynthFiles, path: Path) -> None:
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    for table in LOAD_ORDER:
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv({literal(str(files.files[table]))})")
    con.close()


def _engine_catalogue(con, registry, ids=baselines.CORE, breakdown: str | None = "ward", period: str = YEAR):
    return {i: compute(con, i, period, breakdown=breakdown, registry=registry) for i in ids}


def agreement(engine: dict[str, pd.DataFrame], other: dict[str, pd.DataFrame]) -> dict[str, bool]:
    """Per indicator: the same numerator and denominator for every ward."""
    out = {}
    for ind, frame in engine.items():
        mine = frame.dropna(subset=["breakdown_value"]).set_index("breakdown_value")[["numerator", "denominator"]]
        theirs = other[ind].set_index("ward")[["numerator", "denominator"]]
        mine, theirs = mine.astype(float).fillna(-1).sort_index(), theirs.astype(float).fillna(-1).sort_index()
        out[ind] = mine.index.equals(theirs.index) and bool((mine.values == theirs.values).all())
    return out


def _sql_frames(con, queries: dict[str, tuple[str, list[str]]]) -> dict[str, pd.DataFrame]:
    out = {}
    for ind, (sql, params) in queries.items():
        rows = con.execute(sql, params).fetchall()
        out[ind] = pd.DataFrame(
            [(r[0], r[1], r[2] if len(r) > 2 else float("nan")) for r in rows],
            columns=["ward", "numerator", "denominator"],
        )
    return out


def _page_timings(db: Path, repeats: int, app_path: Path | None) -> dict[str, list[float]]:
    """The app's pages in Streamlit's AppTest (cscp_ui.bench_pages), where Streamlit is installed: the core never
    imports it."""
    if importlib.util.find_spec("streamlit") is None:
        return {}
    from cscp_ui.bench_pages import timings

    return timings(db, repeats, app_path)


def run(scale: str, repeats: int = 5, workdir: Path | None = None, app_path: Path | None = None) -> dict:
    registry = load_registry()
    if workdir is not None:
        workdir.mkdir(parents=True, exist_ok=True)  # a new folder is made, not refused with a traceback
    with tempfile.TemporaryDirectory(dir=workdir) as tmp_name:
        tmp = Path(tmp_name)
        generate_s, _, files = _timed(lambda: synth.write(tmp / "files", scale), 1)
        load_runs = 3 if scale == "partnership" else 1
        validated, validated_runs, _ = _timed(lambda: _load_validated(files, tmp / "bench.duckdb"), load_runs)
        plain, plain_runs, _ = _timed(lambda: _load_plain(files, tmp / "plain.duckdb"), load_runs)
        con = store.connect(tmp / "bench.duckdb")
        aggregate_s, _, aggregate_rows = _timed(lambda: aggregates.build(con, registry), 1)
        con.close()
        # as a publish computes them: the signals in a second process beside the tiles and funnels
        ready_s, _, _ = _timed(lambda: refresh_file(tmp / "bench.duckdb", force=True), 1)
        con = store.connect(tmp / "bench.duckdb", read_only=True)
        engine_s, engine_runs, engine_result = _timed(lambda: _engine_catalogue(con, registry), repeats)
        queries = baselines.aggregate_queries(YEAR, registry)
        sql_s, sql_runs, sql_result = _timed(lambda: _sql_frames(con, queries), repeats)
        page_s, page_runs, _ = _timed(lambda: _engine_catalogue(con, registry, PAGE, None, "2018-19"), repeats)
        con.close()
        pages = _page_timings(tmp / "bench.duckdb", repeats, app_path)
        con = store.connect(tmp / "bench.duckdb", read_only=True)
        peak_engine = _peak_mb()
        read_s, _, frames = _timed(lambda: baselines.raw_frames(con), 1)
        pandas_s, pandas_runs, pandas_result = _timed(
            lambda: baselines.pandas_catalogue(frames, START, END), max(1, repeats // 2)
        )
        page_pandas_s, page_pandas_runs, _ = _timed(
            lambda: baselines.pandas_catalogue(frames, "2018-04-01", "2019-03-31", PAGE), max(1, repeats // 2)
        )
        rows = {t: scalar(con, f"SELECT count(*) FROM {t}") for t in LOAD_ORDER}
        con.close()
    agree_pandas, agree_sql = agreement(engine_result, pandas_result), agreement(engine_result, sql_result)
    ratios = {
        name: statistics.median(pages[a]) / statistics.median(pages[b]) if pages else None
        for name, (a, b) in PAGE_RATIOS.items()
    }
    load_s = validated + aggregate_s + ready_s
    return {
        "scale": scale,
        "las": files.las,
        "rows": rows,
        "machine": _machine(),
        "repeats": repeats,
        "catalogue_vs_pandas": pandas_s / engine_s,
        "catalogue_vs_sql": engine_s / sql_s,
        "page_query_vs_pandas": page_pandas_s / page_s,
        "page_query_engine_ms": page_s * 1000,
        "load_vs_plain": validated / plain,
        **ratios,
        "peak_memory_mb": peak_engine,
        "peak_memory_with_pandas_mb": _peak_mb(),
        "peak_memory_second_process_mb": SECOND_PROCESS.get("peak_mb", 0.0),  # the publish's signals process
        "precompute_s": ready_s,
        "precompute_share_of_load": ready_s / load_s,
        "baselines_agree": all(agree_pandas.values()) and all(agree_sql.values()),
        "agreement": {"pandas": agree_pandas, "sql": agree_sql},
        "goals": GOALS,
        "timings_s": {
            "generate": generate_s,
            "load_validated": validated_runs,
            "load_plain": plain_runs,
            "aggregates_build": aggregate_s,
            "aggregate_rows": aggregate_rows,
            "ready_figures": ready_s,
            "catalogue_engine": engine_runs,
            "catalogue_sql": sql_runs,
            "catalogue_pandas": pandas_runs,
            "pandas_read_raw": read_s,
            "page_engine": page_runs,
            "page_pandas": page_pandas_runs,
            **pages,
        },
    }
