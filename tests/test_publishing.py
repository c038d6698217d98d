"""One writer, many readers: a load is published whole by an atomic rename, readers see old or new."""
from __future__ import annotations

import subprocess
import sys

import pytest

from cscp_metrics import store
from cscp_metrics.publishing import new_version, version_of


def _referral_count(path) -> int:
    con = store.connect(path, read_only=True)
    try:
        return con.execute("SELECT count(*) FROM referrals").fetchone()[0]
    finally:
        con.close()


def test_reader_keeps_its_version_while_a_new_one_is_published(demo_copy, tmp_path):
    before = _referral_count(demo_copy)
    reader = store.connect(demo_copy, read_only=True)
    old_version = version_of(demo_copy)
    (tmp_path / "r.csv").write_text("referral_id,child_id,referral_date,source\nNEW1,C000001,2020-03-30,police\n")
    result = subprocess.run([sys.executable, "-m", "cscp_metrics.cli", "load", "--table", "referrals",
                             "--db", str(demo_copy), str(tmp_path / "r.csv")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert reader.execute("SELECT count(*) FROM referrals").fetchone()[0] == before  # the old version, whole
    reader.close()
    assert version_of(demo_copy) != old_version
    assert _referral_count(demo_copy) == before + 1
    assert not list(demo_copy.parent.glob("*.draft-*"))


def test_a_failed_write_publishes_nothing(demo_copy):
    old_version = version_of(demo_copy)
    with pytest.raises(RuntimeError):
        with new_version(demo_copy) as con:
            con.execute("DELETE FROM referrals")
            raise RuntimeError("interrupted half way")
    assert version_of(demo_copy) == old_version
    assert _referral_count(demo_copy) > 0
    assert not list(demo_copy.parent.glob("*.draft-*"))
