"""Return templates generated from the table contracts: one XLSX per return, a header-only `return` sheet
and a `data dictionary` sheet (column, type, required, allowed values, rules, example), so a template and
the loader cannot drift apart."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from cscp_metrics.store.contracts import CONTRACTS, ColumnRule, TableContract

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "data" / "templates"
RETURN_SHEET = "return"
DICTIONARY_SHEET = "data dictionary"
DICTIONARY_COLUMNS = ["column", "type", "required", "allowed values", "rules", "example"]
_FIXED_TIME = datetime(2020, 4, 1)  # workbook metadata, so regenerating leaves committed files unchanged

_EXAMPLES: dict[str, object] = {
    "agency": "police",
    "measure_id": "concordat_breaches",
    "value": 11,
    "child_id": "C000123",
    "breakdown_dimension": "age_group",
    "breakdown_value": "10-15",
    "ward": "Kilburn",
    "gender": "female",
    "ethnicity": "White British",
    "placement_type": "foster care",
    "outcome": "further action",
    "factors": "domestic abuse; mental health",
    "year_ending": date(2020, 3, 31),
    "age": 19,
}
_TYPE_WORDS = {
    "text": "text",
    "date": "date (YYYY-MM-DD)",
    "datetime": "date and time (YYYY-MM-DDTHH:MM)",
    "bool": "true or false",
    "number": "number",
    "integer": "whole number",
}


def example(rule: ColumnRule) -> object:
    if rule.name in _EXAMPLES:
        return _EXAMPLES[rule.name]
    if rule.allowed:
        return rule.allowed[0]
    later = rule.after_column is not None
    return {
        "date": date(2020, 6, 30) if later else date(2020, 4, 1),
        "datetime": datetime(2020, 4, 2, 9, 30) if later else datetime(2020, 4, 1, 22, 15),
        "bool": "true",
        "number": 2.5,
        "integer": max(3, int(rule.minimum or 0)),
    }.get(rule.type, f"{rule.name.removesuffix('_id').upper()}-0001" if rule.name.endswith("_id") else "text")


def rules(rule: ColumnRule) -> str:
    found = []
    if rule.unique:
        found.append("unique: not repeated in the file or any earlier load")
    if rule.not_future:
        found.append("not in the future")
    if rule.not_before:
        found.append(f"not before {rule.not_before}")
    if rule.after_column:
        found.append(f"after {rule.after_column}")
    if rule.minimum is not None:
        found.append(f"at least {rule.minimum:g}")
    return "; ".join(found)


def dictionary(contract: TableContract) -> pd.DataFrame:
    required = {c.name for c in contract.columns}
    return pd.DataFrame(
        [
            {
                "column": rule.name,
                "type": _TYPE_WORDS[rule.type],
                "required": ("yes" if rule.required else "yes (may be empty)") if rule.name in required else "optional",
                "allowed values": ", ".join(rule.allowed),
                "rules": rules(rule),
                "example": example(rule),
            }
            for rule in contract.all_columns()
        ],
        columns=DICTIONARY_COLUMNS,
    )


def workbook(table: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    contract = CONTRACTS[table]
    book = Workbook()
    book.properties.created = book.properties.modified = _FIXED_TIME
    sheet = book.active
    sheet.title = RETURN_SHEET
    sheet.append([c.name for c in contract.all_columns()])
    for index, rule in enumerate(contract.all_columns(), 1):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(rule.name) + 4)
        if rule.type in ("date", "datetime"):  # typed dates stay dates; text cells stay text
            for cell in sheet[get_column_letter(index)][1:1001]:
                cell.number_format = "yyyy-mm-dd" if rule.type == "date" else "yyyy-mm-ddThh:mm"
    words = book.create_sheet(DICTIONARY_SHEET)
    frame = dictionary(contract)
    words.append(DICTIONARY_COLUMNS)
    for row in frame.itertuples(index=False):
        words.append(list(row))
    for letter, width in zip("ABCDEF", (24, 30, 20, 40, 50, 22)):
        words.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return _fixed_zip_times(out.getvalue())


def _fixed_zip_times(content: bytes) -> bytes:
    """An XLSX is a zip whose entries carry the time of writing; fixed times make regenerating reproducible."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "docProps/core.xml":  # openpyxl stamps the save time as 'modified'
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2020-04-01T00:00:00Z", body)
            target.writestr(
                zipfile.ZipInfo(item.filename, date_time=_FIXED_TIME.timetuple()[:6]),
                body,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


def write_all(folder: Path = TEMPLATE_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in sorted(CONTRACTS):
        path = folder / f"{table}.xlsx"
        path.write_bytes(workbook(table))
        written.append(path)
    return written
