"""Section 11 self-assessments: each agency rates itself red, amber or green against each standard, with its
evidence, on an XLSX template (`data/templates/section_11.xlsx`, written by `cscp templates`). An import is
checked whole with pydantic before anything is stored: every problem names the file, row, column and value."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cscp_metrics.records.refusals import Refused
from cscp_metrics.records.workspace import Records

# Working Together to Safeguard Children (2018), chapter 2: what section 11 of the Children Act 2004 asks of
# each organisation, in short names
STANDARDS = (
    "Accountability for safeguarding",
    "Senior board-level lead",
    "Listening to children",
    "Whistleblowing",
    "Escalation",
    "Information sharing",
    "Designated practitioner",
    "Safer recruitment and working",
    "Supervision, support and training",
    "Culture of safety, equality and protection",
)
COLUMNS = ("agency", "round", "standard", "rating", "evidence")
SHEET = "self-assessment"
MAX_ROWS = 500


class S11Row(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)
    agency: str = Field(min_length=1, max_length=100)
    round: str = Field(pattern=r"^\d{4}(-\d{2})?$")
    standard: str
    rating: Literal["red", "amber", "green"]
    evidence: str = Field(min_length=10, max_length=4000)

    @field_validator("rating", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("standard")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in STANDARDS:
            raise ValueError("not one of the template's standards")
        return value


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, cells by column name) for every non-empty row under the header."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises several kinds for a file that is not a workbook
        raise Refused(f"{path.name}: not an XLSX workbook ({type(err).__name__})") from None
    if SHEET not in book.sheetnames:
        raise Refused(f"{path.name}: no sheet named {SHEET!r}; start from data/templates/section_11.xlsx")
    rows = book[SHEET].iter_rows(values_only=True)
    header = [str(c).strip().lower() if c is not None else "" for c in next(rows, ())]
    if tuple(header[: len(COLUMNS)]) != COLUMNS:
        raise Refused(f"{path.name}, row 1: the header must be {', '.join(COLUMNS)}; start from the template")
    found = []
    for number, cells in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise Refused(f"{path.name}: more than {MAX_ROWS} rows; one agency's self-assessment has {len(STANDARDS)}")
        if any(c not in (None, "") for c in cells[: len(COLUMNS)]):
            found.append((number, {k: ("" if v is None else str(v)) for k, v in zip(COLUMNS, cells)}))
    return found


def checked(path: Path, agencies: set[str] | None) -> list[S11Row]:
    """Every row valid, one agency and round per file, each standard exactly once; else Refused listing all."""
    problems, good = [], []
    for number, cells in read_rows(path):
        try:
            row = S11Row.model_validate(cells)
        except ValidationError as err:
            for e in err.errors():
                column = str(e["loc"][0])
                problems.append(
                    f"{path.name}, row {number}, column {column}: {e['msg']} (got {cells.get(column, '')!r})"
                )
            continue
        if agencies is not None and row.agency not in agencies:
            problems.append(f"{path.name}, row {number}, column agency: unknown agency (got {row.agency!r})")
        good.append((number, row))
    pairs = {(r.agency, r.round) for _, r in good}
    if len(pairs) > 1:
        problems.append(
            f"{path.name}: one agency and round per file (found {', '.join(sorted(f'{a} {r}' for a, r in pairs))})"
        )
    seen: dict[str, int] = {}
    for number, row in good:
        if row.standard in seen:
            problems.append(f"{path.name}, row {number}, column standard: repeated (first in row {seen[row.standard]})")
        seen.setdefault(row.standard, number)
    missing = [s for s in STANDARDS if s not in seen]
    if not problems and missing:
        problems.append(f"{path.name}: no rating for {', '.join(missing)}")
    if problems:
        raise Refused("section 11 return not imported:\n" + "\n".join(problems))
    return [row for _, row in good]


def import_file(records: Records, path: Path, by: str, agencies: set[str] | None) -> tuple[str, str, int]:
    """Store one agency's self-assessment whole (a later import for the same round replaces it); returns
    (agency, round, import id)."""
    return store_rows(records, checked(path, agencies), by)


def store_rows(records: Records, rows: list[S11Row], by: str) -> tuple[str, str, int]:
    with records.transaction():
        import_id = int(records.scalar("SELECT nextval('s11_import_seq')"))
        for row in rows:
            records.execute(
                "INSERT INTO s11_ratings VALUES (?, ?, ?, ?, ?, ?, current_timestamp, ?)",
                [import_id, row.round, row.agency, row.standard, row.rating, row.evidence, by],
            )
    return rows[0].agency, rows[0].round, import_id
