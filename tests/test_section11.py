"""Section 11: the template, imports checked whole with file/row/column messages, and the comparison across
agencies and with the previous round, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cscp_metrics.cli import app as cli
from cscp_metrics.records import (
    section11,
    section11_compare,
    section11_template,
    workspace,
)
from cscp_metrics.records.refusals import Refused
from cscp_metrics.store import templates

AGENCIES = {"police", "health", "camhs"}


def filled(folder: Path, agency: str, round: str, ratings: list[str], name: str | None = None) -> Path:
    book = openpyxl.load_workbook(templates.TEMPLATE_DIR / "section_11.xlsx")
    sheet = book[section11.SHEET]
    for row, rating in enumerate(ratings, start=2):
        sheet.cell(row, 1).value, sheet.cell(row, 2).value = agency, round
        sheet.cell(row, 4).value, sheet.cell(row, 5).value = rating, f"Evidence for {agency}, standard {row - 1}"
    path = folder / (name or f"{agency}-{round}.xlsx")
    book.save(path)
    return path


def test_the_committed_template_lists_every_standard_once():
    book = openpyxl.load_workbook(templates.TEMPLATE_DIR / section11_template.FILE_NAME)
    rows = list(book[section11.SHEET].iter_rows(values_only=True))
    assert rows[0] == section11.COLUMNS and [r[2] for r in rows[1:]] == list(section11.STANDARDS)
    fresh = openpyxl.load_workbook(__import__("io").BytesIO(section11_template.workbook()))
    assert list(fresh[section11.SHEET].iter_rows(values_only=True)) == rows  # regenerated: the same content


def test_compare_across_agencies_and_with_the_previous_round(records_store, tmp_path):
    ten = len(section11.STANDARDS)
    with workspace.opened(records_store) as records:
        section11.import_file(
            records, filled(tmp_path, "police", "2019", ["red", "amber"] + ["green"] * (ten - 2)), "t", AGENCIES
        )
        section11.import_file(
            records,
            filled(tmp_path, "police", "2020", ["amber", "amber", "red"] + ["green"] * (ten - 3)),
            "t",
            AGENCIES,
        )
        section11.import_file(records, filled(tmp_path, "health", "2020", ["green"] * ten), "t", AGENCIES)
        # a corrected return for the same round replaces the earlier one
        section11.import_file(
            records, filled(tmp_path, "health", "2020", ["amber"] + ["green"] * (ten - 1), "again.xlsx"), "t", AGENCIES
        )
        compared = section11_compare.compare(records)
        first_round = section11_compare.compare(records, "2019")
    assert (compared["round"], compared["previous_round"], first_round["previous_round"]) == ("2020", "2019", None)
    police = {
        r["standard"]: (r["rating"], r["previous"], r["change"]) for r in compared["rows"] if r["agency"] == "police"
    }
    assert police[section11.STANDARDS[0]] == ("amber", "red", "improved")
    assert police[section11.STANDARDS[1]] == ("amber", "amber", "same")
    assert police[section11.STANDARDS[2]] == ("red", "green", "worse")
    summary = {a["agency"]: (a["green"], a["amber"], a["red"], a["improved"], a["worse"]) for a in compared["agencies"]}
    assert summary == {"health": (ten - 1, 1, 0, 0, 0), "police": (ten - 3, 2, 1, 1, 1)}


def test_a_bad_return_is_refused_whole_naming_file_row_and_column(records_store, tmp_path):
    path = filled(tmp_path, "police", "2020", ["green", "purple"] + ["green"] * 8, "bad.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book[section11.SHEET]
    sheet.cell(4, 5).value = "short"
    sheet.cell(5, 1).value = "fire"
    sheet.cell(6, 3).value = sheet.cell(7, 3).value
    book.save(path)
    with workspace.opened(records_store) as records:
        with pytest.raises(Refused) as refused:
            section11.import_file(records, path, "t", AGENCIES)
        assert records.scalar("SELECT count(*) FROM s11_ratings") == 0
    message = str(refused.value)
    assert "bad.xlsx, row 3, column rating: Input should be 'red', 'amber' or 'green' (got 'purple')" in message
    assert "bad.xlsx, row 4, column evidence: String should have at least 10 characters (got 'short')" in message
    assert "bad.xlsx, row 5, column agency: unknown agency (got 'fire')" in message
    assert "bad.xlsx, row 7, column standard: repeated (first in row 6)" in message


def test_not_a_workbook_and_a_missing_standard(tmp_path, records_store):
    junk = tmp_path / "junk.xlsx"
    junk.write_text("agency,round\n")
    partial = filled(tmp_path, "police", "2020", ["green"] * 9)
    book = openpyxl.load_workbook(partial)
    book[section11.SHEET].delete_rows(11)
    book.save(partial)
    with workspace.opened(records_store) as records:
        with pytest.raises(Refused, match="junk.xlsx: not an XLSX workbook"):
            section11.import_file(records, junk, "t", AGENCIES)
        with pytest.raises(Refused, match="police-2020.xlsx: no rating for Culture of safety, equality and protection"):
            section11.import_file(records, partial, "t", AGENCIES)


def test_cli_s11_import_and_compare(demo_copy, tmp_path):
    run, db = CliRunner().invoke, ["--db", str(demo_copy)]
    good = filled(tmp_path, "camhs", "2019", ["green"] * 10)
    bad = filled(tmp_path, "camhs", "2020", ["blue"] + ["green"] * 9)
    result = run(cli, ["s11", "import", str(good), str(bad), *db])
    assert result.exit_code == 2 and "camhs-2019.xlsx: camhs, round 2019: 10 standards imported" in result.output
    assert "camhs-2020.xlsx, row 2, column rating" in result.output and "Traceback" not in result.output
    compared = json.loads(run(cli, ["s11", "compare", "--format", "json", *db]).output)
    assert compared["round"] == "2019" and {r["rating"] for r in compared["rows"]} == {"green"}
