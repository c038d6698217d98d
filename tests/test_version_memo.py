"""The app's per-version memo: the same object back, the least recently used dropped first, old connections let go."""

from __future__ import annotations

import os
import shutil

from cscp_ui.version_memo import VersionMemo


def test_a_hit_is_the_same_object_and_the_least_recently_used_goes_first():
    memo: VersionMemo[list[int]] = VersionMemo(max_entries=2)
    made: list[str] = []

    def compute(key: str):
        return lambda: made.append(key) or [len(made)]

    first = memo.get("a", compute("a"))
    assert memo.get("a", compute("a")) is first and made == ["a"]
    memo.get("b", compute("b"))
    memo.get("a", compute("a"))  # a is now the most recently used
    memo.get("c", compute("c"))  # so b goes
    assert made == ["a", "b", "c"]
    memo.get("a", compute("a"))
    memo.get("b", compute("b"))
    assert made == ["a", "b", "c", "b"]
    memo.clear()
    memo.get("a", compute("a"))
    assert made[-1] == "a"


def test_the_app_keeps_two_versions_connections_and_lets_older_ones_go(demo_copy, monkeypatch):
    monkeypatch.setenv("CSCP_DB", str(demo_copy))
    from cscp_ui import data

    data._SEEN.clear()
    versions = []
    for _ in range(4):
        versions.append(data.reading().version)
        draft = demo_copy.with_name(demo_copy.name + ".next")
        shutil.copyfile(demo_copy, draft)
        os.replace(draft, demo_copy)  # a new version (a new inode), as a publish makes
    kept = [version for path, version in data._OPEN if path == str(demo_copy)]
    assert len(set(versions)) == 4 and kept == versions[-2:]
    assert data.tiles(("contacts",), "2019-20", "England", True)[0].indicator.id == "contacts"  # the newest reads


def test_a_publish_does_not_open_the_working_records_again_but_a_write_to_them_does(demo_copy, monkeypatch):
    from contextlib import contextmanager

    from cscp_metrics.records import assurance_demo, workspace
    from cscp_metrics.store.publishing import version_of
    from cscp_ui import assurance, data

    monkeypatch.setenv("CSCP_DB", str(demo_copy))
    with workspace.opened(demo_copy) as records:
        assurance_demo.seed(records)
    opened, real = [], workspace.opened

    @contextmanager
    def counted(*args, **kwargs):
        opened.append(args)
        with real(*args, **kwargs) as records:
            yield records

    monkeypatch.setattr(workspace, "opened", counted)
    data._SEEN.clear()
    first = assurance.board(public=False)
    draft = demo_copy.with_name(demo_copy.name + ".next")
    shutil.copyfile(demo_copy, draft)
    os.replace(draft, demo_copy)  # a new store version, the records untouched
    again = assurance.board(public=False)
    assert (str(demo_copy), version_of(demo_copy)) in data._OPEN  # the board of the new version, computed from it
    assert len(again.risks) == len(first.risks) == 6 and len(opened) == 1  # and from the records read before
    from datetime import date

    from cscp_metrics.records import risks

    with real(demo_copy) as records:
        risks.update(records, 1, {"controls": "Reviewed by the chair"}, "chair", {}, date(2021, 3, 1))
    read = assurance._records_read(assurance._as_of(date.today()), assurance._records_stamp())
    assert len(opened) == 2 and "Reviewed by the chair" in [r.controls for r in read.risks]
