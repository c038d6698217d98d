"""The committed return templates agree with the table contracts, and a row of their examples loads."""

from __future__ import annotations

import io

import openpyxl
import pytest
from typer.testing import CliRunner

from cscp_metrics.cli.main import app as cli
from cscp_metrics.store import connection as store
from cscp_metrics.store import templates
from cscp_metrics.store.contracts import CONTRACTS
from cscp_metrics.store.loading import load_file


def _sheets(path):
    book = openpyxl.load_workbook(path)
    header = [c.value for c in book[templates.RETURN_SHEET][1]]
    rows = list(book[templates.DICTIONARY_SHEET].iter_rows(values_only=True))
    return book, header, [dict(zip(rows[0], row)) for row in rows[1:]]


def test_one_committed_template_per_contract_identical_to_a_fresh_generation():
    committed = sorted(p.stem for p in templates.TEMPLATE_DIR.glob("*.xlsx"))
    assert committed == sorted([*CONTRACTS, "section_11"])  # the returns, and the section 11 self-assessment
    for table in CONTRACTS:  # compared cell by cell: openpyxl writes the same cells as different bytes with lxml
        fresh = openpyxl.load_workbook(io.BytesIO(templates.workbook(table)))
        committed_book = openpyxl.load_workbook(templates.TEMPLATE_DIR / f"{table}.xlsx")
        assert fresh.sheetnames == committed_book.sheetnames
        for name in fresh.sheetnames:
            assert list(fresh[name].iter_rows(values_only=True)) == list(
                committed_book[name].iter_rows(values_only=True)
            ), f"data/templates/{table}.xlsx is out of date: run `cscp templates`"


@pytest.mark.parametrize("table", sorted(CONTRACTS))
def test_template_header_and_dictionary_say_what_the_contract_says(table):
    _, header, dictionary = _sheets(templates.TEMPLATE_DIR / f"{table}.xlsx")
    contract = CONTRACTS[table]
    assert header == [c.name for c in contract.columns] + [c.name for c in contract.optional]
    assert [d["column"] for d in dictionary] == header
    for entry in dictionary:
        rule = contract.column(entry["column"])
        assert (entry["allowed values"] or "") == ", ".join(rule.allowed)
        assert entry["required"] == (
            "optional" if rule in contract.optional else "yes" if rule.required else "yes (may be empty)"
        )
        assert ("unique" in (entry["rules"] or "")) == rule.unique
        assert entry["example"] is not None


@pytest.mark.parametrize("table", sorted(CONTRACTS))
def test_a_row_of_the_dictionarys_examples_loads_through_the_loader(table, tmp_path):
    book, header, dictionary = _sheets(templates.TEMPLATE_DIR / f"{table}.xlsx")
    examples = {d["column"]: d["example"] for d in dictionary}
    book[templates.RETURN_SHEET].append([examples[name] for name in header])
    filled = tmp_path / f"{table}.xlsx"
    book.save(filled)
    con = store.connect(tmp_path / "s.duckdb")
    try:
        result = load_file(con, table, filled)
        assert result.outcome == "loaded" and result.rows == 1, result.messages
        assert not result.extra_columns
    finally:
        con.close()


def test_cscp_templates_writes_every_return(tmp_path):
    result = CliRunner().invoke(cli, ["templates", "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert sorted(p.stem for p in tmp_path.glob("*.xlsx")) == sorted([*CONTRACTS, "section_11"])
