"""Aggregates built at load give exactly what the live engine computes from case rows, and never go stale."""

from __future__ import annotations

import pandas as pd

from cscp_metrics.indicators.engine import compute
from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.store import connection as store
from cscp_metrics.store.loading import load_file

REG = load_registry()


def _key(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.assign(bv=frame["breakdown_value"].astype(str).str.lower()).set_index("bv")
    return out[["numerator", "denominator", "value"]].astype(float).round(9).fillna(-1).sort_index()


def test_aggregates_match_the_live_engine_for_every_indicator_and_breakdown(demo_copy):
    con = store.connect(demo_copy)
    assert con.execute("SELECT count(*) FROM measure_aggregates").fetchone()[0] > 10_000
    cases = [
        (i.id, p, d)
        for i in REG.indicators.values()
        if i.local
        for p in ("2019-20", "2018-19-Q2", "2020-03")
        for d in (None, *i.breakdowns)
    ]
    ready = [_key(compute(con, *c[:2], breakdown=c[2], registry=REG)) for c in cases]
    con.execute("DELETE FROM aggregate_builds")  # from here on the engine reads case rows
    for case, expected in zip(cases, ready):
        pd.testing.assert_frame_equal(
            expected, _key(compute(con, *case[:2], breakdown=case[2], registry=REG)), obj=str(case)
        )
    con.close()


def test_a_newer_load_makes_the_aggregates_step_aside(demo_copy, tmp_path):
    con = store.connect(demo_copy)
    before = compute(con, "referrals", "2019-20")["numerator"].iloc[0]
    (tmp_path / "r.csv").write_text("referral_id,child_id,referral_date,source\nLATE1,C000001,2019-12-02,police\n")
    assert load_file(con, "referrals", tmp_path / "r.csv").ok
    assert compute(con, "referrals", "2019-20")["numerator"].iloc[0] == before + 1
    con.close()


def test_tile_trends_from_aggregates_equal_one_engine_call_per_period(demo_con):
    from cscp_metrics.indicators import summary
    from cscp_metrics.indicators.periods import parse_period

    def norm(v):
        return v if isinstance(v, str) else None if v is None or pd.isna(v) else round(float(v), 9)

    for ind in REG.indicators.values():
        for period, public in (("2019-20", True), ("2018-19-Q4", False)):
            trend = summary.yearly_trend(demo_con, ind, parse_period(period), public)
            expected = [summary._row(demo_con, ind, label, public)["value"] for label in trend["period"]]
            assert [norm(v) for v in trend["value"]] == [norm(v) for v in expected], (ind.id, period)
