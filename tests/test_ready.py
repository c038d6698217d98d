"""Figures computed when a version is published: identical to the live computation, disclosure-controlled in the
public view, kept only while they match the store's inputs, and recomputed by every publish that changes them."""

from __future__ import annotations

import contextlib
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from cscp_metrics import council, read_memo
from cscp_metrics.council import comparators
from cscp_metrics.indicators import summary
from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.ready import stamp, tiles
from cscp_metrics.store import connection as store

REG = load_registry()
PERIODS = ("2019-20", "2019-20-Q3", "2012-13", "2023-24")  # report year, a quarter, first local year, DfE-only year


@pytest.fixture(scope="module")
def ready_db(demo_db, tmp_path_factory) -> Path:
    """The demo store as published (conftest computed its ready figures), copied so a test may change it."""
    path = tmp_path_factory.mktemp("ready") / "ready.duckdb"
    shutil.copy(demo_db, path)
    con = store.connect(path, read_only=True)
    assert all(stamp.current(con, part) for part in ("tiles", "funnels", "signals"))
    con.close()
    return path


@pytest.fixture
def ready_con(ready_db):
    con = store.connect(ready_db, read_only=True)
    yield con
    con.close()


@pytest.mark.parametrize("period", PERIODS)
def test_every_ready_tile_is_the_live_tile(ready_con, period):

    different = {}
    for public in (True, False):
        # the report year's public tiles are computed as a page does, every read afresh (so a read remembered wrongly
        # at publish would show); the rest share their reads, as a publish does, to keep the suite short
        afresh = period == "2019-20" and public
        with contextlib.nullcontext() if afresh else read_memo.scope():
            live = {ind: summary.tile(ready_con, ind, period, "england", public) for ind in REG.indicators}
        for ind, tile in live.items():
            ready = tiles.read(ready_con, ind, period, "england", public)
            assert ready is not None, (ind, period, public)
            differ = tiles.differences(ready, tile)
            if differ:
                different[(ind, public)] = differ
    assert not different


def test_ready_tiles_against_every_comparator_are_the_live_tiles(ready_con):
    keys = [k for k in comparators(ready_con) if k != "england"]
    assert keys == ["london", "inner_london", "sn"]
    compared = [i for i in REG.indicators.values() if i.statistic in ("proportion", "rate")]
    different = {}
    with read_memo.scope():  # shared reads, as at publish (the report year against England is checked without)
        found = {
            (i.id, key, public): (
                tiles.read(ready_con, i.id, "2019-20", key, public),
                summary.tile(ready_con, i.id, "2019-20", key, public),
            )
            for i in compared
            for key in keys
            for public in (True, False)
        }
    for (indicator_id, key, public), (ready, live) in found.items():
        differ = tiles.differences(ready, live)
        if differ:
            different[(indicator_id, key, public)] = {
                n: (getattr(ready, n, None), getattr(live, n, None)) for n in differ
            }
    assert not different
    sn = tiles.read(ready_con, "cp_plan_rate", "2019-20", "sn", True)
    assert sn.comparator == "Statistical neighbours" and sn.comparator_value is not None
    count = tiles.read(ready_con, "referrals", "2019-20", "sn", True)  # stored once, named on reading
    assert count.comparator == "Statistical neighbours"


def test_every_ready_funnel_is_the_live_funnel(ready_con):
    from pandas.testing import assert_frame_equal

    from cscp_metrics.ready import funnels
    from cscp_metrics.scrutiny import league

    checked = 0
    for year in ("2019-20", "2023-24", "2013-14"):
        for ind in league.funnel_indicators(ready_con, REG, year):
            points, curves = funnels.read(ready_con, ind.id, year)
            live_points, live_curves = league.funnel_frame(ready_con, ind, year)
            assert_frame_equal(points, live_points.reset_index(drop=True), check_dtype=False)
            assert_frame_equal(curves, live_curves, check_dtype=False)
            checked += 1
    assert checked >= 10
    assert funnels.read(ready_con, "referrals", "2019-20") is None  # a count has no funnel


def _dumped(found) -> list[str]:
    return [s.model_dump_json() for s in found]


@pytest.mark.parametrize("public", [True, False])
def test_ready_signals_are_the_live_signals_in_the_same_order(ready_con, public):
    from cscp_metrics.ready import signals
    from cscp_metrics.scrutiny import where_to_look

    assert signals.periods(ready_con) == ["2018-19", "2019-20", "2024-25"]  # default, the year before, newest
    assert stamp.current(ready_con, "signals")
    for period in ("2019-20", "2024-25"):
        stored = signals.read(ready_con, period, public)
        assert stored is not None and len(stored) > 20
        ranked = where_to_look.checked(ready_con, period, public)  # find() is select(checked()): checked once
        for include_similar in (False, True):
            live = where_to_look.select(ranked, period, include_similar)
            ready = signals.find(ready_con, period, public=public, include_similar=include_similar)
            assert _dumped(ready) == _dumped(live)
            assert len(live) > 10
    assert signals.read(ready_con, "2016-17", public) is None  # not computed at publish: read live
    if not public:
        return  # the fallback to live is the same code in both views: checked once, in the public one
    with read_memo.scope():  # the same computation twice: the second reads what the first read
        assert _dumped(signals.find(ready_con, "2016-17", public=public)) == _dumped(
            where_to_look.find(ready_con, "2016-17", public=public)
        )


def test_a_remembered_read_is_a_copy_and_only_inside_its_scope(ready_con):
    from cscp_metrics.indicators.engine import compute

    with read_memo.scope():
        first = compute(ready_con, "referrals", "2019-20")
        first.loc[0, "value"] = -1.0  # a caller changing its frame changes nobody else's
        assert compute(ready_con, "referrals", "2019-20")["value"].iloc[0] == first["numerator"].iloc[0] > 0
    outside = compute(ready_con, "referrals", "2019-20")
    assert outside is not compute(ready_con, "referrals", "2019-20")


def _small(value) -> bool:
    return not isinstance(value, str) and value is not None and not math.isnan(float(value)) and 1 <= float(value) <= 5


def test_no_public_ready_tile_shows_a_count_of_1_to_5(ready_con):
    rows = ready_con.execute("SELECT tile FROM ready_tiles WHERE coalesce(public, true)").fetchall()
    assert len(rows) > 3000
    shown = []
    for (text,) in rows:
        tile = tiles.from_json(text)
        if tile.indicator.disclosure != "children":
            continue
        counts = [tile.numerator, tile.denominator] + ([tile.value] if tile.indicator.statistic == "count" else [])
        if tile.indicator.statistic == "count":
            counts += tile.trend["value"].tolist()
        if any(_small(v) for v in counts):
            shown.append((tile.indicator.id, tile.period))
        hidden = [tile.value, tile.numerator, tile.lower, tile.upper] if tile.suppressed else []
        hidden += [tile.denominator] if tile.denominator_suppressed else []
        hidden += tile.trend.loc[tile.trend["suppressed"], "value"].tolist()
        if not all(v is None or math.isnan(v) for v in hidden):  # a hidden figure is stored as no figure
            shown.append((tile.indicator.id, tile.period, "hidden"))
    assert not shown
    suppressed = ready_con.execute(
        "SELECT count(*) FROM ready_tiles WHERE public AND tile LIKE '%\"suppressed\": true%'"
    ).fetchone()[0]
    assert suppressed > 0  # the demo has small numbers: the public view hides them, the partnership view does not
    partnership = [
        tiles.from_json(text)
        for (text,) in ready_con.execute("SELECT tile FROM ready_tiles WHERE NOT public").fetchall()
    ]
    hidden_in_partnership = [
        (t.indicator.id, t.period)
        for t in partnership
        if t.suppressed or t.denominator_suppressed or t.trend["suppressed"].any() or t.value_text == "c"
    ]
    assert partnership and hidden_in_partnership == []


def test_ready_figures_are_not_read_once_the_store_changes_or_before_they_exist(ready_db, tmp_path):
    unbuilt = tmp_path / "unbuilt.duckdb"
    shutil.copy(ready_db, unbuilt)
    con = store.connect(unbuilt)
    con.execute("DELETE FROM ready_builds")
    assert not stamp.current(con, "tiles")  # none computed: pages compute live
    con.close()
    changed = tmp_path / "changed.duckdb"
    shutil.copy(ready_db, changed)
    con = store.connect(changed)
    assert stamp.current(con, "tiles")
    con.execute("INSERT INTO settings VALUES ('note', 'edited outside a publish')")
    assert not stamp.current(con, "tiles")
    con.close()


def test_a_load_publishes_ready_figures_and_a_refused_load_keeps_them(demo_copy, tmp_path, ready_on_publish):
    from typer.testing import CliRunner

    from cscp_metrics.cli import app

    built_at = "SELECT part, built_at FROM ready_builds ORDER BY part"
    con = store.connect(demo_copy, read_only=True)
    before = dict(con.execute(built_at).fetchall())
    con.close()
    # a partner's return (its indicators only are computed again: the whole recompute is test_a_return_recomputes...)
    good = tmp_path / "r.csv"
    good.write_text(
        "agency,measure_id,period_start,period_end,value\npolice,concordat_breaches,2019-04-01,2020-03-31,41\n"
    )
    result = CliRunner().invoke(app, ["load", "--table", "partner_returns", "--db", str(demo_copy), str(good)])
    assert result.exit_code == 0, result.output
    con = store.connect(demo_copy, read_only=True)
    assert all(stamp.current(con, part) for part in ("tiles", "funnels", "signals"))
    after = dict(con.execute(built_at).fetchall())
    # a return changes the tiles and signals; the funnels read only DfE's figures and are kept
    assert after["funnels"] == before["funnels"] and after["tiles"] > before["tiles"] < after["signals"]
    built = con.execute("SELECT built_at FROM ready_builds WHERE part = 'tiles'").fetchone()[0]
    ready = tiles.read(con, "concordat_breaches", "2019-20", "england", False)
    assert ready.value == 41  # the resubmitted return (the demo had 32), published
    assert not tiles.differences(ready, summary.tile(con, "concordat_breaches", "2019-20", "england", False))
    con.close()
    bad = tmp_path / "bad.csv"
    bad.write_text("referral_id,child_id,referral_date,source\nX1,C000001,not-a-date,police\n")
    CliRunner().invoke(app, ["load", "--table", "referrals", "--db", str(demo_copy), str(bad)])
    con = store.connect(demo_copy, read_only=True)
    assert stamp.current(con, "tiles")
    assert con.execute("SELECT built_at FROM ready_builds WHERE part = 'tiles'").fetchone()[0] == built
    con.close()


def test_a_part_that_fails_at_publish_says_why_and_pages_compute_it_live(ready_db, tmp_path, monkeypatch):
    from cscp_metrics.store import views

    failing = tmp_path / "failing.duckdb"
    shutil.copy(ready_db, failing)
    con = store.connect(failing)

    def broken(*_args, **_kwargs):
        raise ValueError("a registry measure the store lacks")

    from cscp_metrics.ready import publish

    monkeypatch.setitem(publish.ROWS, "tiles", broken)
    assert set(publish.rebuild(con, ["tiles", "funnels"])) == {"funnels"}  # two parts: one fails, one is written
    assert not stamp.current(con, "tiles") and stamp.current(con, "funnels")
    assert con.execute("SELECT count(*) FROM ready_tiles").fetchone()[0] == 0
    line = views.ready_line(views.ready_builds(con))
    assert "tiles not computed: ValueError: a registry measure the store lacks (pages compute them live)" in line
    assert "funnels computed in" in line
    con.close()


@pytest.mark.parametrize("second_process", ["runs", "fails"])
def test_a_publish_computes_the_signals_beside_the_rest_with_the_same_rows(
    ready_db, tmp_path, monkeypatch, capfd, second_process
):
    import subprocess
    import sys

    from cscp_metrics.ready import publish

    draft = tmp_path / "draft.duckdb"
    shutil.copy(ready_db, draft)
    if second_process == "fails":  # e.g. killed for memory: the signals are computed in this process instead
        died = subprocess.Popen([sys.executable, "-c", "import sys; sys.exit(9)"], stderr=subprocess.PIPE)
        monkeypatch.setattr(publish, "_in_second_process", lambda _draft, _parts: (died, tmp_path / "never-written"))
    assert publish.refresh_file(draft) == {}  # computed from these very inputs already
    with store.connect(draft) as con:  # only the second process's parts stale: the tiles and funnels are kept
        con.execute("UPDATE ready_builds SET stamp = 'stale' WHERE part IN ?", [list(publish.SECOND_PROCESS_PARTS)])
        con.execute("CHECKPOINT")
    assert set(publish.refresh_file(draft)) == set(publish.SECOND_PROCESS_PARTS)
    assert ("the second process failed" in capfd.readouterr().err) == (second_process == "fails")
    con = store.connect(draft, read_only=True)
    before = store.connect(ready_db, read_only=True)
    try:
        for query in (
            "SELECT period, public, signals FROM ready_signals ORDER BY ALL",
            "SELECT * FROM ready_reconciliation ORDER BY ALL",
        ):
            assert con.execute(query).fetchall() == before.execute(query).fetchall()
        assert all(stamp.current(con, part) for part in publish.PARTS)
        count = "SELECT count(*) FROM ready_tiles"
        assert con.execute(count).fetchone() == before.execute(count).fetchone()
    finally:
        con.close()
        before.close()


def test_the_ready_reconciliation_is_the_live_one_for_every_year_computed_and_none_for_others(ready_db):
    from cscp_metrics.ready import reconciliation as ready_reconciliation
    from cscp_metrics.ready.signals import periods, periods_of
    from cscp_metrics.scrutiny.reconciliation import reconcile

    con = store.connect(ready_db, read_only=True)
    try:
        assert stamp.current(con, "reconciliation")
        computed = periods(con)
        assert computed == ["2018-19", "2019-20", "2024-25"]
        known = council.facts(con)  # as the app knows them from the version's receipt
        assert periods_of(known["years"], known["default_year"]) == computed
        assert ready_reconciliation.read(con, "2017-18", computed) is None
        for period in computed:
            stored, live = ready_reconciliation.read(con, period), reconcile(con, period)
            assert stored is not None and len(stored) == len(live)
            pd.testing.assert_frame_equal(stored, live, check_dtype=False)
        assert len(ready_reconciliation.read(con, "2019-20")) == 8  # the demo's local indicators DfE also publishes
        assert ready_reconciliation.read(con, "2017-18") is None  # not computed: the page reconciles it live
        assert len(ready_reconciliation.find(con, "2017-18")) == len(reconcile(con, "2017-18")) > 0
    finally:
        con.close()


def test_each_pages_opening_chart_is_the_live_breakdown_in_both_views(ready_con):
    from cscp_metrics.indicators.registry.pages import load_pages
    from cscp_metrics.ready import breakdowns
    from cscp_metrics.store.years import local_years

    assert stamp.current(ready_con, "breakdowns")
    opening = breakdowns.opening_charts(REG)
    assert ("contacts", "source") in opening  # Front door opens on contacts by source, as its page draws it
    assert len(opening) <= len([p for p in load_pages().pages if p.kind == "priority"])  # at most one a page
    years = local_years(ready_con)
    stored = ready_con.execute("SELECT count(*) FROM ready_breakdowns").fetchone()[0]
    assert stored == len(opening) * len(years) * 2
    for indicator_id, dimension in opening:
        for year in (years[0], "2019-20"):
            for public in (True, False):
                found = breakdowns.read(ready_con, indicator_id, year, dimension, public)
                live = summary.breakdown(ready_con, indicator_id, year, dimension, {}, public)
                assert found is not None
                pd.testing.assert_frame_equal(found, live)  # dtypes too: a hidden cell stays NaN, its flag a bool
                assert found.attrs == live.attrs
    assert breakdowns.read(ready_con, "contacts", "2019-20-Q3", "source", True) is None  # a quarter: live


def test_a_published_versions_receipt_says_which_parts_are_current_until_the_file_is_written(
    demo_copy, tmp_path, ready_on_publish, monkeypatch
):
    from cscp_metrics.ready import publish
    from cscp_metrics.store.publishing import new_version, receipt_path, version_of

    with new_version(demo_copy) as con:  # a publish that changes nothing: a new file, its receipt with it
        con.execute("SELECT 1")
    version = version_of(demo_copy)
    assert version is not None and not list(tmp_path.glob("*.draft-*"))
    assert stamp.receipt_parts(demo_copy, version) == set(publish.PARTS)
    con = store.connect(demo_copy, read_only=True)
    assert stamp.current_parts(con, publish.PARTS) == set(publish.PARTS)  # what the receipt says, fingerprinted
    facts = stamp.receipt_facts(demo_copy, version)  # what the first view of the version reads instead of asking
    assert facts == council.facts(con) and facts["name"] == "Camden" and facts["default_year"] == "2019-20"
    con.close()
    assert stamp.receipt_parts(demo_copy, (version[0], version[1] + 1)) is None  # not the version asked about
    with monkeypatch.context() as release:  # a new release (registry, disclosure rules): its stamps differ
        release.setattr(stamp, "VERSION", stamp.VERSION + "-next")
        stamp.code_digest.cache_clear()
        assert stamp.receipt_parts(demo_copy, version) is None
        con = store.connect(demo_copy, read_only=True)
        assert stamp.current_parts(con, publish.PARTS) == set()  # what the fingerprint says too
        con.close()
    stamp.code_digest.cache_clear()
    assert stamp.receipt_parts(demo_copy, version) == set(publish.PARTS)
    con = store.connect(demo_copy)
    con.execute("INSERT INTO settings VALUES ('note', 'edited outside a publish')")
    con.close()
    edited = version_of(demo_copy)
    assert edited != version and stamp.receipt_parts(demo_copy, edited) is None  # fingerprinted again: stale
    assert stamp.receipt_facts(demo_copy, edited) is None  # and the facts read from the store
    con = store.connect(demo_copy, read_only=True)
    assert "tiles" not in stamp.current_parts(con, publish.PARTS)
    con.close()
    receipt_path(demo_copy).write_text("not json")
    assert stamp.receipt_parts(demo_copy, edited) is None

    def broken(*_args, **_kwargs):
        raise ValueError("a registry measure the store lacks")

    def kept(part: str):  # the rows already stored: what the receipt says is the point here, not the figures
        return lambda con, only=None: con.execute(f"SELECT * FROM ready_{part} ORDER BY rowid").df()

    for part in publish.PARTS:
        monkeypatch.setitem(publish.ROWS, part, kept(part))
    monkeypatch.setattr(publish, "_in_second_process", lambda _draft, _parts: None)  # the stand-ins, here
    monkeypatch.setitem(publish.ROWS, "tiles", broken)
    with new_version(demo_copy):  # the edit made every part stale: all recomputed, the tiles fail
        pass
    assert stamp.receipt_parts(demo_copy, version_of(demo_copy)) == set(publish.PARTS) - {"tiles"}


def test_a_return_or_a_case_table_recomputes_only_its_indicators_and_gives_what_a_whole_recompute_gives(
    demo_copy, tmp_path, ready_on_publish, monkeypatch
):
    from typer.testing import CliRunner

    from cscp_metrics.cli import app
    from cscp_metrics.indicators.registry.refs import MeasureRef, PartnerRef
    from cscp_metrics.ready import increments, publish

    scopes: list[dict] = []
    whole = publish._scopes
    monkeypatch.setattr(publish, "_scopes", lambda *args: scopes.append(whole(*args)) or scopes[-1])
    police = tmp_path / "police.csv"
    police.write_text(
        "agency,measure_id,period_start,period_end,value\npolice,concordat_breaches,2020-07-01,2020-09-30,13\n"
    )
    referrals = tmp_path / "referrals.csv"  # a child already known, in a year the store shows: only referrals change
    referrals.write_text("referral_id,child_id,referral_date,source\nNEW1,C000001,2020-03-30,police\n")
    for table, path in (("partner_returns", police), ("referrals", referrals)):
        result = CliRunner().invoke(app, ["load", "--table", table, "--db", str(demo_copy), str(path)])
        assert result.exit_code == 0, result.output
    # the indicators counting the returned measure, and those whose measures count the referrals view, by hand
    counting = {
        i.id
        for i in REG.indicators.values()
        if any(isinstance(r, PartnerRef) and r.measure == "concordat_breaches" for r in (i.numerator, i.denominator))
    }
    referring = {
        i.id
        for i in REG.indicators.values()
        if any(
            isinstance(r, MeasureRef) and REG.measure(r).table == "referrals_x" for r in (i.numerator, i.denominator)
        )
    }
    assert counting and len(counting) < 5 and 5 < len(referring) < len(REG.indicators) / 4
    assert "re_referral_rate" in referring and "cp_plan_rate" not in referring
    assert scopes == [
        {
            part: None if part == "reconciliation" else frozenset(ids)
            for part in ("tiles", "signals", "reconciliation", "breakdowns")
        }
        for ids in (counting, referring)
    ]  # the funnels read DfE's figures only: kept
    whole_copy = tmp_path / "whole.duckdb"
    shutil.copy(demo_copy, whole_copy)
    assert set(publish.refresh_file(whole_copy, force=True)) == set(publish.PARTS)
    kept, recomputed = store.connect(demo_copy, read_only=True), store.connect(whole_copy, read_only=True)
    try:
        assert all(stamp.current(kept, part) for part in publish.PARTS)
        for table in ("ready_tiles", "ready_signals", "ready_breakdowns", "ready_reconciliation", "ready_funnels"):
            query = f"SELECT * FROM {table} ORDER BY ALL"
            assert kept.execute(query).fetchall() == recomputed.execute(query).fetchall(), table
        now = increments.inputs(kept)
        assert increments.to_recompute(kept, "tiles", now, REG) == frozenset()  # nothing changed since
        assert increments.to_recompute(kept, "funnels", now, REG) is None  # not kept per indicator
    finally:
        kept.close()
        recomputed.close()
    with store.connect(demo_copy) as con:  # anything but a return or a case record changed (a setting): whole
        con.execute("UPDATE settings SET value = value || ' ' WHERE key = 'area_name'")
        assert increments.to_recompute(con, "tiles", increments.inputs(con), REG) is None
    with store.connect(whole_copy) as con:  # the children's details change every view's rows
        from cscp_metrics.store.loading import load_file

        child = tmp_path / "children.csv"
        child.write_text("child_id,birth_month,gender,ethnicity,disability,ward\nNEWCHILD,2010-01-01,female,,false,\n")
        assert load_file(con, "children", child).ok, "the children's header"
        assert stamp.current_parts(con, publish.PARTS) == {"funnels"}  # the funnels read DfE's figures only
        assert increments.to_recompute(con, "tiles", increments.inputs(con), REG) == frozenset(
            i.id
            for i in REG.indicators.values()
            if any(
                isinstance(r, MeasureRef) and REG.measure(r).table.endswith("_x") for r in (i.numerator, i.denominator)
            )
        )


def test_which_returns_an_indicator_reads_by_its_references():
    from cscp_metrics.indicators.registry import Measure, Registry
    from cscp_metrics.indicators.registry.refs import MeasureRef
    from cscp_metrics.ready.increments import ANY_RETURN, reads_returns_of

    assert reads_returns_of(REG.indicators["concordat_breaches"], REG) == {"concordat_breaches"}
    assert reads_returns_of(REG.indicators["re_referral_rate"], REG) == set()  # case records only
    # a measure over the returns table picks its rows by a filter, not by a measure id: any return may change it
    picked = Measure(id="picked", table="partner_returns_current", filter="agency = 'police'")
    registry = Registry(
        tables=REG.tables,
        measures={**REG.measures, "picked": picked},
        indicators={
            "by_filter": REG.indicators["referrals"].model_copy(
                update={"id": "by_filter", "numerator": MeasureRef(measure="picked")}
            )
        },
    )
    assert reads_returns_of(registry.indicators["by_filter"], registry) == {ANY_RETURN}


def test_a_receipts_facts_are_read_only_when_whole(tmp_path):
    """A receipt written by a release whose facts lacked a key gives none: the page asks the store instead."""
    import duckdb

    draft = tmp_path / "store.duckdb"
    duckdb.connect(str(draft)).close()
    whole = {key: f"{key} as published" for key in council.FACTS}
    version = (draft.stat().st_ino, draft.stat().st_mtime_ns)
    stamp.write_receipt(draft, ["tiles"], whole)
    assert stamp.receipt_facts(draft, version) == whole
    stamp.write_receipt(draft, ["tiles"], {k: v for k, v in whole.items() if k != "demo"})
    assert stamp.receipt_facts(draft, version) is None and stamp.receipt_parts(draft, version) == {"tiles"}
    stamp.write_receipt(draft, ["tiles"])  # a publish that computed no facts
    assert stamp.receipt_facts(draft, version) is None
