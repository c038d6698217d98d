"""Every cached read in the app is keyed by the store version it was computed from."""

from __future__ import annotations

import subprocess
import sys

from cscp_metrics.store.publishing import version_of


def test_a_figure_cached_from_the_old_version_never_answers_for_the_new_one(demo_copy, tmp_path, monkeypatch):
    """Session A computes from version 1; a load publishes version 2; session B sees it and clears the cache;
    A's result lands in the cache just after. B must not be served A's figure."""
    monkeypatch.setenv("CSCP_DB", str(demo_copy))
    from cscp_ui import data

    data._SEEN.clear()
    loads_v1 = data.table("loads")  # A's computation from version 1, in the cache
    bad = tmp_path / "late_return.csv"
    bad.write_text("referral_id,child_id,referral_date,source\nX1,C000001,not-a-date,police\n")
    subprocess.run(
        [sys.executable, "-m", "cscp_metrics.cli", "load", "--table", "referrals", "--db", str(demo_copy), str(bad)],
        capture_output=True,
        check=False,
    )
    data._SEEN[str(demo_copy)] = version_of(demo_copy)  # B has already seen version 2 and cleared the cache
    loads_v2 = data.table("loads")
    assert len(loads_v2) == len(loads_v1) + 1
    assert "late_return.csv" in loads_v2.to_string()


def test_a_published_versions_years_are_known_from_its_receipt_before_any_page_reads_them(
    demo_copy, monkeypatch, ready_on_publish
):
    """The first view of a version just published does not scan its aggregates for the years: the receipt's facts
    are in the version's memo before any figure is computed, and they are what the store says."""
    from cscp_metrics import read_memo
    from cscp_metrics.ready.stamp import receipt_facts
    from cscp_metrics.store import years as store_years
    from cscp_metrics.store.publishing import new_version
    from cscp_ui import council, data

    with new_version(demo_copy):  # published as a load publishes, with its receipt
        pass
    monkeypatch.setenv("CSCP_DB", str(demo_copy))
    at = data.reading()
    assert receipt_facts(demo_copy, at.version) is not None
    assert council.name() == "Camden"  # the facts every run asks for first, as the router does
    read = store_years.local_years(at.cursor)  # outside a scope: read from the store
    assert list(at.reads.values()) == [read] and "2019-20" in read
    at.reads[next(iter(at.reads))] = ["as published"]
    with read_memo.scope(at.reads):  # a page's figure: answered from the memo, not the store
        assert store_years.local_years(at.cursor) == ["as published"]
