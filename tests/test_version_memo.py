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
