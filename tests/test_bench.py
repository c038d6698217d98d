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


def test_the_page_timings_run_the_app_as_a_server_does_after_its_first_run(tmp_path, monkeypatch):
    """AppTest starts every run as a server's first, through Streamlit's pages-folder wrapper (a page per file of
    pages/, then app.py); the bench times what a server does once st.navigation has turned that off."""
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.testing.v1 import AppTest

    from cscp_ui.bench_pages import _as_a_server_after_its_first_run

    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.py").write_text("import streamlit as st\nst.write('page a')\n")
    (tmp_path / "app.py").write_text("import streamlit as st\nst.navigation([st.Page('pages/a.py')]).run()\n")
    wrapped: list[str] = []
    original = script_runner._mpa_v1
    monkeypatch.setattr(script_runner, "_mpa_v1", lambda path: wrapped.append(path) or original(path))
    plain = AppTest.from_file(str(tmp_path / "app.py"))
    plain.run().run()
    assert len(wrapped) == 2 and plain.markdown[0].value == "page a"  # AppTest: the wrapper on every run
    wrapped.clear()
    with _as_a_server_after_its_first_run():
        timed = AppTest.from_file(str(tmp_path / "app.py"))
        timed.run().run()
    assert wrapped == [] and timed.markdown[0].value == "page a"
