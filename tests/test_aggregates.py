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


def test_a_read_scope_reads_the_same_aggregates_as_a_lone_query(demo_con):
    """Inside a read scope a measure's periods are read at once and kept; outside, one period is asked for."""
    from cscp_metrics import read_memo
    from cscp_metrics.indicators.periods import parse_period
    from cscp_metrics.store import aggregates

    asked = [
        (REG.measures[m], parse_period(p), d)
        for m in ("referrals", "contacts")
        for p in ("2019-20", "2019-20-Q3", "2019-11", "2017-18")
        for d in (None, "ward", "month", "source")
    ]
    assert not read_memo.active()
    alone = [aggregates.lookup(demo_con, *a) for a in asked]
    totals = aggregates.lookup_totals(demo_con, REG.measures["referrals"], [a[1] for a in asked])
    with read_memo.scope():
        assert read_memo.active()
        kept = [aggregates.lookup(demo_con, *a) for a in asked]
        kept_totals = aggregates.lookup_totals(demo_con, REG.measures["referrals"], [a[1] for a in asked])
    assert sum(f is not None and len(f) > 1 for f in alone) >= 10  # breakdowns, not only totals
    for a, one, other in zip(asked, alone, kept):
        assert (one is None) == (other is None), a
        if one is not None:
            pd.testing.assert_frame_equal(
                one.sort_values("b", ignore_index=True), other.sort_values("b", ignore_index=True)
            )
    assert totals == kept_totals and totals["2019-20"] > 0
