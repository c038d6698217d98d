"""Run the benchmark: generate, load, time the engine against its baselines, report ratios (medians)."""
from __future__ import annotations

import os
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from cscp_metrics.store import aggregates, connection as store
from cscp_metrics.indicators.engine import compute
from cscp_metrics.store.loading import load_file
from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.store.sql_quoting import literal
from cscp_metrics.bench import baselines, synth

LOAD_ORDER = ("children", "contacts", "referrals", "cp_plans", "looked_after_episodes", "missing_episodes")
YEAR, START, END = "2019-20", "2019-04-01", "2020-03-31"
PAGE = ("contacts", "referrals", "re_referral_rate")
GOALS = {"catalogue_vs_pandas": ">= 5", "catalogue_vs_floor": "<= 1.5", "page_query_vs_pandas": ">= 50",
         "load_vs_plain": "<= 3", "rerun_vs_bare": "<= 1.3", "peak_memory_mb": "<= 4096"}


def _timed(work: Callable[[], object], repeats: int) -> tuple[float, list[float], object]:
    runs, result = [], None
    for _ in range(repeats):
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


def _floor_frames(con, queries: dict[str, str]) -> dict[str, pd.DataFrame]:
    out = {}
    for ind, sql in queries.items():
        rows = con.execute(sql).fetchall()
        out[ind] = pd.DataFrame([(r[0], r[1], r[2] if len(r) > 2 else float("nan")) for r in rows],
                                columns=["ward", "numerator", "denominator"])
    return out


def run(scale: str, repeats: int = 5, workdir: Path | None = None, app_path: Path | None = None) -> dict:
    registry = load_registry()
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        tmp = Path(tmp)
        generate_s, _, files = _timed(lambda: synth.write(tmp / "files", scale), 1)
        load_runs = 3 if scale == "partnership" else 1
        validated, validated_runs, _ = _timed(lambda: _load_validated(files, tmp / "bench.duckdb"), load_runs)
        plain, plain_runs, _ = _timed(lambda: _load_plain(files, tmp / "plain.duckdb"), load_runs)
        con = store.connect(tmp / "bench.duckdb")
        aggregate_s, _, aggregate_rows = _timed(lambda: aggregates.build(con, registry), 1)
        con.close()
        con = store.connect(tmp / "bench.duckdb", read_only=True)
        engine_s, engine_runs, engine_result = _timed(lambda: _engine_catalogue(con, registry), repeats)
        queries = baselines.floor_queries(START, END)
        floor_s, floor_runs, floor_result = _timed(lambda: _floor_frames(con, queries), repeats)
        page_s, page_runs, _ = _timed(lambda: _engine_catalogue(con, registry, PAGE, None, "2018-19"), repeats)
        rerun, bare = _rerun_vs_bare(tmp / "bench.duckdb", app_path, repeats)
        peak_engine = _peak_mb()
        read_s, _, frames = _timed(lambda: baselines.raw_frames(con), 1)
        pandas_s, pandas_runs, pandas_result = _timed(lambda: baselines.pandas_catalogue(frames, START, END), max(1, repeats // 2))
        page_pandas_s, page_pandas_runs, _ = _timed(
            lambda: baselines.pandas_catalogue(frames, "2018-04-01", "2019-03-31", PAGE), max(1, repeats // 2))
        rows = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in LOAD_ORDER}
        con.close()
    agree_pandas, agree_floor = agreement(engine_result, pandas_result), agreement(engine_result, floor_result)
    return {
        "scale": scale, "las": files.las, "rows": rows, "machine": _machine(), "repeats": repeats,
        "catalogue_vs_pandas": pandas_s / engine_s, "catalogue_vs_floor": engine_s / floor_s,
        "page_query_vs_pandas": page_pandas_s / page_s, "page_query_engine_ms": page_s * 1000,
        "load_vs_plain": validated / plain, "rerun_vs_bare": statistics.median(rerun) / statistics.median(bare),
        "peak_memory_mb": peak_engine, "peak_memory_with_pandas_mb": _peak_mb(),
        "baselines_agree": all(agree_pandas.values()) and all(agree_floor.values()),
        "agreement": {"pandas": agree_pandas, "floor": agree_floor},
        "goals": GOALS,
        "timings_s": {"generate": generate_s, "load_validated": validated_runs, "load_plain": plain_runs,
                      "aggregates_build": aggregate_s, "aggregate_rows": aggregate_rows,
                      "catalogue_engine": engine_runs, "catalogue_floor": floor_runs, "catalogue_pandas": pandas_runs,
                      "pandas_read_raw": read_s, "page_engine": page_runs, "page_pandas": page_pandas_runs,
                      "rerun_app": rerun, "rerun_bare": bare},
    }


BARE = """
import streamlit as st
figures = {"2016-17": (1, 2, 3.0), "2017-18": (4, 5, 6.0), "2018-19": (7, 8, 9.0), "2019-20": (10, 11, 12.0)}
year = st.sidebar.selectbox("Financial year", list(figures), key="w_year")
for column, (label, value) in zip(st.columns(3), zip(("Contacts", "Referrals", "Re-referrals"), figures[year])):
    with column:
        st.metric(label, f"{value:,}", chart_data=[1, 2, 3], chart_type="line")
        st.caption(year)
        st.text("England: 1 → similar\\nVariation: common cause")
"""


def _rerun_vs_bare(db: Path, app_path: Path | None, repeats: int) -> tuple[list[float], list[float]]:
    """A Front door rerun after a year change (cache cold for that year) against a bare script drawing tiles."""
    from streamlit.testing.v1 import AppTest

    app_path = app_path or Path(__file__).resolve().parents[2] / "app.py"
    previous = os.environ.get("CSCP_DB")
    os.environ["CSCP_DB"] = str(db)
    try:
        app = AppTest.from_file(str(app_path), default_timeout=600)
        app.run()
        app.switch_page("pages/front-door.py").run()
        bare = AppTest.from_string(BARE, default_timeout=60)
        bare.run()
        years = ["2016-17", "2017-18", "2018-19", "2015-16", "2014-15", "2013-14"][:max(1, repeats)]
        rerun, plain = [], []
        for year in years:
            started = time.perf_counter()
            app.sidebar.selectbox(key="w_year").set_value(year).run()
            rerun.append(time.perf_counter() - started)
            if app.exception:
                raise RuntimeError(f"the app failed on the bench store: {app.exception[0].value}")
            started = time.perf_counter()
            bare.sidebar.selectbox(key="w_year").set_value(year if year in ("2016-17", "2017-18", "2018-19") else "2019-20").run()
            plain.append(time.perf_counter() - started)
        return rerun, plain
    finally:
        if previous is None:
            os.environ.pop("CSCP_DB", None)
        else:
            os.environ["CSCP_DB"] = previous
