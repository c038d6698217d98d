"""`cscp figures check` says on what basis each printed figure is reproduced, and ships its figures with the package."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from cscp_metrics.indicators.registry.refs import PartnerRef
from cscp_metrics.scrutiny.figures import packaged_figures

SPEC_COPY = Path(__file__).resolve().parent.parent.parent / "shared" / "spec" / "published-figures.csv"
# Stored as printed, so a match cannot fail: the report's population base and the comparators the demo inserted
# from the report (it names no DfE file for them).
CONSTANTS = {
    ("population_0_17", "2019-20", ""),
    ("referrals_family_friend_self", "2019-20", "Inner London"),
    ("assessments_in_45_days", "2019-20", "London"),
    ("assessments_in_45_days", "2019-20", "England"),
}
# Printed DfE comparators the store holds from DfE's own files (re-referrals 2018-19, CP plans per 10,000 2018-19).
BENCHMARKS = {
    ("re_referral_rate", "2018-19", "London"),
    ("re_referral_rate", "2018-19", "England"),
    ("cp_rate", "2018-19", "Inner London"),
    ("cp_rate", "2018-19", "England"),
}


@pytest.fixture(scope="module")
def checked(demo_db) -> list[dict]:
    out = subprocess.run(
        [sys.executable, "-m", "cscp_metrics.cli", "figures", "check", "--format", "json", "--db", str(demo_db)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout)


def test_figures_json_gives_each_figure_its_basis_and_status(checked):
    printed = list(csv.DictReader(packaged_figures().open(encoding="utf-8")))
    assert len(checked) == len(printed) == 154
    for figure, row in zip(checked, printed):
        assert figure["printed"] == row["value"] and figure["status"] in ("match", "exception", "mismatch")
        assert figure["computed"] is None or isinstance(figure["computed"], float)
    by_key = {(f["figure_id"], f["period"], f["comparator"]): f["basis"] for f in checked}
    assert {k for k, basis in by_key.items() if basis == "constant"} == CONSTANTS
    assert {k for k, basis in by_key.items() if basis == "benchmark"} == BENCHMARKS
    # every local figure whose indicator counts partner returns is on that basis, all others on case records
    from cscp_metrics.indicators.registry import load_registry
    from cscp_metrics.scrutiny.figures import ALIASES, BREAKDOWN_FIGURES

    reg = load_registry()
    for (fid, _, comparator), basis in by_key.items():
        if comparator or fid == "population_0_17":
            continue
        base, _, level = fid.partition(":")
        ind = reg.indicators[BREAKDOWN_FIGURES[base][0] if level else ALIASES.get(fid, fid)]
        partner = ind.from_returns or isinstance(ind.denominator, PartnerRef)
        assert basis == ("partner return" if partner else "row-level"), fid


def test_figures_check_counts_per_basis_and_status(demo_db, checked):
    counts = Counter((f["basis"], f["status"]) for f in checked)
    out = subprocess.run(
        [sys.executable, "-m", "cscp_metrics.cli", "figures", "check", "--db", str(demo_db)],
        capture_output=True,
        text=True,
    ).stdout
    for basis in ("row-level", "partner return", "benchmark", "constant"):
        n = {s: counts[(basis, s)] for s in ("match", "exception", "mismatch")}
        assert (
            f"{basis:>14}: {sum(n.values()):>3} figures ({n['match']} match, {n['exception']} exceptions, "
            f"{n['mismatch']} mismatches)"
        ) in out
    assert sum(counts.values()) == 154 and counts[("constant", "match")] == 4


def test_published_figures_are_package_data_equal_to_the_spec_copy():
    packaged = packaged_figures()
    assert "cscp_metrics" in packaged.parts and packaged.is_file()
    if SPEC_COPY.parent.parent.exists():  # ../shared exists on the development machine
        assert packaged.read_bytes() == SPEC_COPY.read_bytes()
