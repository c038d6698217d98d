"""The section 11 self-assessment template (`data/templates/section_11.xlsx`): one row per standard to rate,
a drop-down of red/amber/green, and a data dictionary; reproducible byte for byte like the return templates."""

from __future__ import annotations

import io
from pathlib import Path

from cscp_metrics.records.section11 import COLUMNS, SHEET, STANDARDS
from cscp_metrics.store import templates

FILE_NAME = "section_11.xlsx"
DICTIONARY = (
    ("agency", "text", "yes", "the store's agency ids (police, health, camhs, ...)", "the same on every row", "police"),
    (
        "round",
        "text",
        "yes",
        "",
        "the audit round, a year (2019) or financial year (2019-20); the same on every row",
        "2019",
    ),
    (
        "standard",
        "text",
        "yes",
        "; ".join(STANDARDS),
        "each standard exactly once; keep the template's wording",
        STANDARDS[0],
    ),
    ("rating", "text", "yes", "red, amber, green", "the agency's own rating against the standard", "green"),
    (
        "evidence",
        "text",
        "yes",
        "",
        "at least 10 characters: what shows the standard is met",
        "Safeguarding lead on the executive board since 2018; annual report to the board",
    ),
)


def workbook() -> bytes:
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.properties.created = book.properties.modified = templates._FIXED_TIME
    sheet = book.active
    sheet.title = SHEET
    sheet.append(list(COLUMNS))
    for standard in STANDARDS:
        sheet.append([None, None, standard, None, None])
    rag = DataValidation(type="list", formula1='"red,amber,green"', allow_blank=False)
    sheet.add_data_validation(rag)
    rag.add(f"D2:D{len(STANDARDS) + 1}")
    for letter, width in zip("ABCDE", (18, 10, 44, 10, 80)):
        sheet.column_dimensions[letter].width = width
    words = book.create_sheet(templates.DICTIONARY_SHEET)
    words.append(templates.DICTIONARY_COLUMNS)
    for row in DICTIONARY:
        words.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return templates._fixed_zip_times(out.getvalue())


def write(folder: Path) -> Path:
    path = folder / FILE_NAME
    path.write_bytes(workbook())
    return path
