"""`cscp bench --scale partnership` as a smoke test of the harness: the report is complete and the
baselines (pandas, hand-written SQL) compute the same numbers as the engine. Speed is not asserted."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cscp_metrics.bench.run import GOALS
from cscp_metrics.cli.main import app as cli


def test_bench_partnership_report_is_complete_and_baselines_agree(tmp_path):
    out = tmp_path / "bench.json"
    workdir = tmp_path / "not" / "made" / "yet"  # made by the bench, not a traceback
    result = CliRunner().invoke(
        cli, ["bench", "--scale", "partnership", "--repeats", "1", "--out", str(out), "--workdir", str(workdir)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    for key in GOALS:
        assert isinstance(report[key], float) and report[key] > 0, key
        assert f"| {key} |" in result.output
    assert report["baselines_agree"] is True
    assert all(report["agreement"]["pandas"].values()) and all(report["agreement"]["sql"].values())
    assert report["rows"]["contacts"] == 196_000 and report["las"] == 1
    assert report["machine"]["cores"] >= 1 and report["timings_s"]["load_validated"]
    assert len(report["timings_s"]["look_app"]) == 1 and report["timings_s"]["ready_figures"] > 0
    assert "precompute at publish" in result.output
    assert report["peak_memory_second_process_mb"] > 50  # the publish's signals process ran (and imported pandas)


def test_the_bench_core_never_imports_streamlit():
    """The page timings (AppTest) live in cscp_ui; cscp_metrics.bench reaches them only where Streamlit exists."""
    from pathlib import Path

    source = (Path(__file__).resolve().parents[1] / "cscp_metrics" / "bench" / "run.py").read_text()
    assert "streamlit" not in source.replace('find_spec("streamlit")', "")
