"""Fuzzing the loader on a small store: generated files from the table contracts (hypothesis) with known-bad
cells planted, hand-made hostile files (headers, encodings, line endings, sizes, types, injection), and
`kill -9` of `cscp load` at a random moment.

Every attempt is checked the same way: a refusal names the file and, for a bad cell, its row and column (and
flags no good cell), leaves every data table exactly as it was and adds one `loads` row; an acceptance stores
every row. The tally is printed at the end and written to $CSCP_FUZZ_REPORT when set."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import random
import re
import shutil
import signal
import subprocess
import time
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from test_crash import CLI

from cscp_metrics.store import connection as store
from cscp_metrics.store.contracts import CONTRACTS, ColumnRule, TableContract
from cscp_metrics.store.loading import LoadResult, load_file

ROOT = Path(__file__).resolve().parent.parent
LATEST = date.today() - timedelta(days=500)  # valid dates end here, so an end date up to 400 days on is past
_LOCATED = re.compile(r"^(?P<file>.+?): row (?P<row>\d+), column (?P<col>.+?): ")


@dataclass
class Tally:
    tried: int = 0
    refused_with_row_and_column: int = 0
    refused_with_file_and_problem: int = 0
    accepted_correctly: int = 0
    tracebacks: int = 0
    store_changes_after_refusal: int = 0
    crash_kills: int = 0
    crash_store_old: int = 0
    crash_store_new: int = 0
    crash_store_neither: int = 0
    tables: dict[str, int] = field(default_factory=dict)


TALLY = Tally()


@dataclass(frozen=True)
class Expect:
    outcome: str  # loaded | refused
    rows: int = 0  # loaded: rows stored
    bad: frozenset[tuple[int, str]] = frozenset()  # refused: cells that must be flagged (row, column)
    dont_care: frozenset[tuple[int, str]] = frozenset()  # cells that may be flagged as well
    words: tuple[str, ...] = ()  # refused for the file as a whole: words in the message


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    """An empty store with a few rows in referrals and children, so uniqueness against earlier loads is tried."""
    folder = tmp_path_factory.mktemp("fuzz")
    con = store.connect(folder / "small.duckdb")
    (folder / "seed_refs.csv").write_text(
        "child_id,referral_id,referral_date,source\nC1,SEED1,2019-06-15,police\nC2,SEED2,2019-07-01,school\n"
    )
    (folder / "seed_children.csv").write_text("child_id,ward\nC1,Camden Town\nC2,Kilburn\n")
    assert load_file(con, "referrals", folder / "seed_refs.csv").ok
    assert load_file(con, "children", folder / "seed_children.csv").ok
    yield con, folder
    con.close()
    _report()


_FINGERPRINT = " UNION ALL ".join(
    f"SELECT '{t}', count(*), sum(hash(t))::VARCHAR FROM {t} t" for t in store.DATA_TABLES
)


def _state(con) -> tuple[list, int]:
    """Row count and an order-free checksum of every row of every data table (one query), and the loads count."""
    return sorted(con.execute(_FINGERPRINT).fetchall()), con.execute("SELECT count(*) FROM loads").fetchone()[0]


def attempt(con, table: str, path: Path, expect: Expect) -> LoadResult:
    """Load `path` and check the verdict, the message and the store against `expect`."""
    TALLY.tried += 1
    TALLY.tables[table] = TALLY.tables.get(table, 0) + 1
    (hash_before, loads_before), rows_before = _state(con), _rows(con, table)
    try:
        result = load_file(con, table, path)
    except Exception:
        TALLY.tracebacks += 1
        raise
    joined = "\n".join(result.messages)
    hash_after, loads_after = _state(con)
    assert loads_after == loads_before + 1, joined
    if result.outcome == "refused" and hash_after != hash_before:
        TALLY.store_changes_after_refusal += 1
    assert result.outcome == expect.outcome, f"{path.name}: expected {expect}, got:\n{joined}"
    assert all(line.startswith(f"{path.name}: ") for line in result.messages), joined
    if expect.outcome == "loaded":
        assert _rows(con, table) == rows_before + expect.rows, joined
        TALLY.accepted_correctly += 1
        return result
    assert hash_after == hash_before, f"a refusal changed the store: {joined}"
    assert con.execute("SELECT outcome FROM loads ORDER BY load_id DESC LIMIT 1").fetchone()[0] == "refused"
    if not expect.bad:  # refused as a whole file: the message names the file (checked above) and the problem
        for word in expect.words:
            assert word in joined, f"{path.name}: '{word}' not in:\n{joined}"
        TALLY.refused_with_file_and_problem += 1
        return result
    flagged = {(int(m["row"]), m["col"]) for m in map(_LOCATED.match, result.messages) if m}
    assert flagged, joined
    assert flagged <= expect.bad | expect.dont_care, (
        f"good cells flagged: {flagged - expect.bad - expect.dont_care}\n{joined}"
    )
    assert min(expect.bad) in flagged, f"first bad cell {min(expect.bad)} not named:\n{joined}"
    TALLY.refused_with_row_and_column += 1
    return result


def _rows(con, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # table: a key of CONTRACTS


# ---------------------------------------------------------------- generated files, from the contracts

_ids = itertools.count()
_WORD = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Co", "Cn", "Zs", "Zl", "Zp")), min_size=1, max_size=8
)
_TEXT = st.lists(_WORD, min_size=1, max_size=3).map(" ".join)
_ID = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_./-]{0,12}", fullmatch=True)


def _valid(draw, rule: ColumnRule, anchor: str | None) -> str:
    if rule.unique:
        return f"F{next(_ids)}-{draw(_ID)}"
    if rule.allowed:
        return (
            draw(st.sampled_from(rule.allowed)).upper() if draw(st.booleans()) else draw(st.sampled_from(rule.allowed))
        )
    if rule.identifier:
        return draw(_ID)
    earliest = date.fromisoformat(rule.not_before or "2000-01-01") + timedelta(days=1)
    if rule.type in ("date", "datetime"):
        day = (
            date.fromisoformat(anchor[:10]) + timedelta(days=draw(st.integers(1, 400)))
            if anchor
            else draw(st.dates(earliest, LATEST))
        )
        if rule.type == "date":
            return day.isoformat()
        sep, fmt = draw(st.sampled_from("T ")), draw(st.sampled_from(("%H:%M", "%H:%M:%S")))
        return f"{day.isoformat()}{sep}{datetime(2000, 1, 1, draw(st.integers(0, 23)), draw(st.integers(0, 59))).strftime(fmt)}"
    if rule.type == "bool":
        return draw(st.sampled_from(("true", "false", "TRUE", "False")))
    if rule.type == "integer":
        value = draw(st.integers(int(rule.minimum if rule.minimum is not None else -1000), 10**6))
        return draw(st.sampled_from((str(value), f"+{value}", f"{value}.0")))
    if rule.type == "number":
        low = rule.minimum if rule.minimum is not None else -1e9
        return repr(draw(st.floats(low, 1e12, allow_nan=False, allow_infinity=False)))
    return draw(_TEXT)


def _invalid(rule: ColumnRule) -> list[str]:
    """Values this column must refuse, whatever the rest of the row holds."""
    bad = ["x\x00y", "tab\x01here"]
    if rule.required:
        bad += ["", "   "]
    if rule.identifier:
        bad += ['C04"5060', "a b", "é1", "a" * 65, "'); DELETE FROM children; --"]
    if rule.allowed:
        bad += ["pigeon", "pol ice"]
    if rule.type == "date":
        bad += ["2019-6-15", "2019-02-30", "15/06/2019", "20190615", "2019-06-15T10:00", "1800-01-01"]
    if rule.type == "datetime":
        bad += ["yesterday", "2019-06-15 25:00", "2019-13-01T10:00", "1999-12-31T23:59"]
    if rule.type in ("date", "datetime") and rule.not_future:
        bad.append("2999-01-01")
    if rule.type == "bool":
        bad += ["yes", "1", "maybe"]
    if rule.type == "integer":
        bad += ["15.6", "0x10", "1_7", "1e3", "99999999999", "NaN", "twelve", "2.5"]
    if rule.type == "number":
        bad += ["NaN", "inf", "-inf", "1e400", "1,000", "0x10", "1_000", "£5"]
    if rule.minimum is not None:
        bad.append(str(int(rule.minimum) - 1))
    return bad


@st.composite
def contract_files(draw, table: str):
    """(header, rows, Expect) for `table`, with some cells replaced by values the contract must refuse."""
    contract: TableContract = CONTRACTS[table]
    optional = draw(st.lists(st.sampled_from(contract.optional), unique=True)) if contract.optional else []
    rules = list(contract.columns) + optional
    extra = draw(
        st.lists(
            st.from_regex(r"[A-Za-z][A-Za-z0-9 _;()<>=+@-]{0,20}", fullmatch=True).filter(
                lambda n: n.strip() == n and n not in {r.name for r in contract.all_columns()}
            ),
            max_size=2,
            unique=True,
        )
    )
    header = draw(st.permutations([r.name for r in rules] + extra))
    by_name = {r.name: r for r in rules}
    n = draw(st.integers(1, 6))
    rows, bad, dont_care = [], set(), set()
    for i in range(1, n + 1):
        cells: dict[str, str] = {}
        for rule in sorted(rules, key=lambda r: bool(r.after_column or r.not_before_column)):  # anchors first
            anchor_name = rule.after_column or rule.not_before_column
            anchor = cells.get(anchor_name) if anchor_name in by_name else None
            cells[rule.name] = _valid(draw, rule, anchor) if (rule.required or draw(st.booleans())) else ""
        for name in extra:
            cells[name] = draw(_TEXT)
        for name in (
            draw(st.lists(st.sampled_from(sorted(by_name)), max_size=2, unique=True)) if draw(st.booleans()) else []
        ):
            cells[name] = draw(st.sampled_from(_invalid(by_name[name])))
            bad.add((i, name))
            for dependant in (r.name for r in rules if name in (r.after_column, r.not_before_column)):
                dont_care.add((i, dependant))  # "must be after" an unreadable or odd date may also be said
        rows.append(cells)
    unique = next((r.name for r in rules if r.unique), None)
    if unique and n > 1 and draw(st.booleans()):
        source = draw(st.integers(1, n - 1))
        if (source, unique) not in bad:
            rows[n - 1][unique] = draw(st.sampled_from((str.upper, str.lower, str)))(rows[source - 1][unique])
            bad.add((n, unique))
    expect = Expect("refused", bad=frozenset(bad), dont_care=frozenset(dont_care)) if bad else Expect("loaded", rows=n)
    return header, [[r[h] for h in header] for r in rows], expect


@pytest.mark.parametrize("table", sorted(CONTRACTS))
@settings(
    max_examples=int(os.environ.get("CSCP_FUZZ_EXAMPLES", "15")),
    deadline=None,
    derandomize=True,
    phases=(Phase.explicit, Phase.generate),  # no shrinking: a failing file is at most 6 rows already
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data(), kind=st.sampled_from(("csv-lf", "csv-crlf", "parquet")))
def test_generated_files_get_the_verdict_the_contract_gives(small_store, table, data, kind):
    con, folder = small_store
    header, rows, expect = data.draw(contract_files(table))
    path = folder / f"gen_{TALLY.tried}.{kind.split('-')[0]}"
    if kind == "parquet":
        pd.DataFrame(rows, columns=header, dtype="string").to_parquet(path, index=False)
    else:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n" if kind == "csv-crlf" else "\n").writerows([header, *rows])
        path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    attempt(con, table, path, expect)


# ---------------------------------------------------------------- hand-made hostile files

REFS = "child_id,referral_id,referral_date,source\n"
ROW = "C1,{id},2019-06-15,police\n"
INJECT = "z', 1) FROM __staging; DELETE FROM children; --"


def _refs(n: int, tag: str) -> str:
    return "".join(ROW.format(id=f"{tag}{i}") for i in range(n))


def _hostile(folder: Path) -> list[tuple[str, str, Path, Expect]]:
    """(label, table, file, expected) for files an attacker or a careless user might send."""
    cases: list[tuple[str, str, bytes | pd.DataFrame | None, Expect]] = []

    def add(label, content, expect, table="referrals"):
        cases.append((label, table, content, expect))

    def refused(*words):
        return Expect("refused", words=words)

    # headers
    add(
        "inject.csv",
        (REFS.strip() + f",{INJECT}\n" + ROW.format(id="H1").strip() + ",x\n").encode(),
        refused("quote character"),
    )
    add(
        "inject_in_required_name.csv",
        f"child_id,referral_id,referral_date,{INJECT}\nC1,H1,2019-06-15,x\n".encode(),
        refused("quote character"),
    )
    add(
        "semicolon_name.csv",
        (REFS.strip() + ",note); DROP TABLE children; --\n" + ROW.format(id="H2").strip() + ",x\n").encode(),
        Expect("loaded", rows=1),
    )
    add(
        "apostrophe.csv",
        (REFS.strip() + ",o'brien\n" + ROW.format(id="H3").strip() + ",x\n").encode(),
        refused("quote character"),
    )
    add(
        "backtick.csv",
        (REFS.strip() + ",a`b\n" + ROW.format(id="H3").strip() + ",x\n").encode(),
        refused("quote character"),
    )
    add(
        "empty_name.csv",
        b"child_id,,referral_id,referral_date,source\nC1,x,H4,2019-06-15,police\n",
        refused("has no name"),
    )
    add(
        "trailing_commas.csv",
        (REFS.strip() + ",\n" + ROW.format(id="H5").strip() + ",\n").encode(),
        refused("comma at the end of every line"),
    )
    add(
        "duplicate_names.csv",
        b"child_id,referral_id,referral_date,source,source\nC1,H6,2019-06-15,police,school\n",
        refused("more than once"),
    )
    add(
        "zero_width_name.csv",
        ("child_id,referral_id\u200b,referral_date,source\n" + ROW.format(id="H7")).encode(),
        refused("invisible or control character"),
    )
    add(
        "tab_in_name.csv",
        (REFS.strip() + ",a\tb\n" + ROW.format(id="H8").strip() + ",x\n").encode(),
        refused("control character"),
    )
    add(
        "long_name.csv",
        (REFS.strip() + "," + "n" * 200 + "\n" + ROW.format(id="H9").strip() + ",x\n").encode(),
        refused("at most 128"),
    )
    add("header_130kb.csv", b"child_id," + b"y" * 133_000 + b"\nC1,1\n", refused("longer than 128 KB"))
    add(
        "many_columns.csv",
        (
            REFS.strip()
            + ","
            + ",".join(f"x{i}" for i in range(400))
            + "\n"
            + ROW.format(id="H10").strip()
            + ","
            + ",".join("1" * 400)
            + "\n"
        ).encode(),
        Expect("loaded", rows=1),
    )
    add(
        "too_many_columns.csv",
        (
            REFS.strip()
            + ","
            + ",".join(f"x{i}" for i in range(3000))
            + "\n"
            + ROW.format(id="H10").strip()
            + ","
            + ",".join("1" * 3000)
            + "\n"
        ).encode(),
        refused("3,004 columns"),
    )
    add(
        "missing_column.csv",
        b"child_id,referral_id,source\nC1,H11,police\n",
        refused("missing required column(s) referral_date"),
    )
    add("semicolons.csv", REFS.replace(",", ";").encode() + b"C1;H12;2019-06-15;police\n", refused("other than commas"))
    add(
        "upper_case_header.csv",
        REFS.upper().encode() + ROW.format(id="H13").encode(),
        refused("missing required column", "found 'CHILD_ID' for child_id"),
    )
    add(
        "nul_in_header.csv",
        b"child_id,refer\x00ral_id,referral_date,source\n" + ROW.format(id="H14").encode(),
        refused("header row contains a NUL byte"),
    )
    # encodings
    add("bom.csv", b"\xef\xbb\xbf" + (REFS + ROW.format(id="E1")).encode(), Expect("loaded", rows=1))
    add(
        "double_bom.csv",
        b"\xef\xbb\xbf\xef\xbb\xbf" + (REFS + ROW.format(id="E2")).encode(),
        refused("two byte-order marks"),
    )
    add("utf16le.csv", ("\ufeff" + REFS + ROW.format(id="E3")).encode("utf-16-le"), refused("UTF-16"))
    add("utf16be_nobom.csv", (REFS + ROW.format(id="E4")).encode("utf-16-be"), refused("UTF-16"))
    add("utf32.csv", ("\ufeff" + REFS + ROW.format(id="E5")).encode("utf-32-le"), refused("UTF-16"))
    add(
        "latin1_cell.csv",
        (REFS + "C1,E6,2019-06-15,police\n").encode() + "C2,E7,2019-06-15,caf\xe9\n".encode("latin-1"),
        refused("not UTF-8"),
    )
    add(
        "cp1252_header.csv",
        "child_id,referral_id,referral_date,source,\u201cnote\u201d\n".encode("cp1252") + ROW.format(id="E8").encode(),
        refused("not UTF-8"),
    )
    add("all_nul.csv", b"\x00" * 10_000, refused("only NUL bytes"))
    add("random_bytes.csv", random.Random(11).randbytes(5000), Expect("refused"))
    add("png_named_csv.csv", b"\x89PNG\r\n\x1a\n" + random.Random(12).randbytes(2000), Expect("refused"))
    # line endings
    add("crlf.csv", (REFS + _refs(3, "L")).replace("\n", "\r\n").encode(), Expect("loaded", rows=3))
    add("no_final_newline.csv", (REFS + _refs(2, "M")).rstrip("\n").encode(), Expect("loaded", rows=2))
    add("cr_only.csv", (REFS + _refs(2, "N")).replace("\n", "\r").encode(), refused("carriage return only"))
    add(
        "mixed_endings.csv",
        (REFS + ROW.format(id="O1")).replace("\n", "\r\n").encode()
        + ROW.format(id="O2").encode()
        + ROW.format(id="O3").replace("\n", "\r\n").encode(),
        refused("mixes line endings", "line 3"),
    )
    add("blank_first_line.csv", b"\n" + (REFS + ROW.format(id="P1")).encode(), refused("first line is blank"))
    # sizes
    add("empty.csv", b"", refused("the file is empty"))
    add("header_only.csv", REFS.encode(), refused("no data rows"))
    add("header_no_newline.csv", REFS.strip().encode(), refused("no data rows"))
    add(
        "field_3mb.csv",
        (REFS + _refs(8, "Q")).encode() + b'C9,Q9,2019-06-15,"' + b"x" * 3_000_000 + b'"\n',
        refused("row 9 is 3.0 MB long"),
    )
    add(
        "unterminated.csv", (REFS + _refs(2, "R")).encode() + b'C9,R9,2019-06-15,"police\n', refused("no closing quote")
    )
    add(
        "short_row.csv",
        (REFS + _refs(2, "S")).encode() + b"C9,S9\n",
        refused("row 3 has 2 fields where the header has 4"),
    )
    add("twenty_thousand_rows.csv", (REFS + _refs(20_000, "T")).encode(), Expect("loaded", rows=20_000))
    # types and values
    add(
        "nul_in_id.csv",
        (REFS + "C0\x004,U1,2019-06-15,police\n").encode(),
        Expect("refused", bad=frozenset({(1, "child_id")})),
    )
    add(
        "quote_in_id.csv",
        (REFS + 'C04"5060,U2,2019-06-15,police\n').encode(),
        Expect("refused", bad=frozenset({(1, "child_id")})),
    )
    add(
        "case_twins.csv",
        (REFS + "C1,V1,2019-06-15,police\nC1,v1,2019-06-16,police\n").encode(),
        Expect("refused", bad=frozenset({(2, "referral_id")})),
    )
    add(
        "seed_again_other_case.csv",
        (REFS + "C1,seed1,2019-06-15,police\n").encode(),
        Expect("refused", bad=frozenset({(1, "referral_id")})),
    )
    add(
        "injection_values.csv",
        (REFS.strip() + ",note\nC1,W1,2019-06-15,police,'); DELETE FROM children; --\n").encode(),
        Expect("loaded", rows=1),
    )
    add(
        "formula_values.csv",
        (REFS.strip() + ',note\nC1,W2,2019-06-15,police,=HYPERLINK("http://x")\n').encode(),
        Expect("loaded", rows=1),
    )
    add(
        "age_15_6.csv",
        b"child_id,year_ending,age,activity\nC1,2020-03-31,15.6,eet\n",
        Expect("refused", bad=frozenset({(1, "age")})),
        table="care_leavers",
    )
    add(
        "value_nan.csv",
        b"agency,measure_id,period_start,period_end,value\npolice,concordat_breaches,2018-04-01,2019-03-31,NaN\n",
        Expect("refused", bad=frozenset({(1, "value")})),
        table="partner_returns",
    )
    add(
        "return_2098.csv",
        b"agency,measure_id,period_start,period_end,value\npolice,concordat_breaches,2098-04-01,2099-03-31,1\n",
        Expect("refused", bad=frozenset({(1, "period_start")})),
        table="partner_returns",
    )
    add(
        "completed_before_start.csv",
        b"assessment_id,child_id,start_date,completed_date\nX1,C1,2019-06-10,2019-06-01\n",
        Expect("refused", bad=frozenset({(1, "completed_date")})),
        table="assessments",
    )
    add(
        "birth_1800.csv",
        b"child_id,birth_month\nC77,1800-01-01\n",
        Expect("refused", bad=frozenset({(1, "birth_month")})),
        table="children",
    )
    frame = pd.DataFrame(
        {"child_id": ["C1"], "referral_id": ["Y1"], "referral_date": ["2019-06-15"], "source": ["police"]}
    )
    add("inject.xlsx", frame.assign(**{INJECT: ["x"]}), refused("quote character"))
    add("inject.parquet", frame.assign(**{INJECT: ["x"]}), refused("quote character"))
    add("dquote_name.parquet", frame.assign(**{'a"b': ["x"]}), refused("quote character"))
    add("ok.xlsx", frame.assign(referral_id=["Y2"]), Expect("loaded", rows=1))
    add(
        "typed.parquet",
        pd.DataFrame(
            {"child_id": ["C1"], "year_ending": pd.to_datetime(["2020-03-31"]), "age": [17], "activity": ["eet"]}
        ),
        Expect("loaded", rows=1),
        table="care_leavers",
    )
    add(
        "float_age.parquet",
        pd.DataFrame({"child_id": ["C1"], "year_ending": ["2020-03-31"], "age": [16.5], "activity": ["eet"]}),
        Expect("refused", bad=frozenset({(1, "age")})),
        table="care_leavers",
    )
    add("struct_column.parquet", frame.assign(referral_id=["Y3"], nested=[{"a": 1}]), Expect("loaded", rows=1))
    add("csv_named_xlsx.xlsx", (REFS + ROW.format(id="Z1")).encode(), refused("cannot be read as an Excel workbook"))
    add("truncated.parquet", b"PAR1" + random.Random(13).randbytes(300), refused("cannot be read as Parquet"))
    add("notes.txt", b"hello", refused("unsupported file type"))
    out = []
    for label, table, content, expect in cases:
        path = folder / label
        if isinstance(content, pd.DataFrame):
            content.to_excel(path, index=False) if path.suffix == ".xlsx" else content.to_parquet(path, index=False)
        else:
            path.write_bytes(content)
        out.append((label, table, path, expect))
    (folder / "a_folder.csv").mkdir()
    out.append(("a_folder.csv", "referrals", folder / "a_folder.csv", Expect("refused", words=("is a folder",))))
    return out


def test_hostile_files_are_refused_clearly_or_loaded_safely(small_store):
    con, folder = small_store
    children = con.execute("SELECT count(*) FROM children").fetchone()[0]
    hostile = folder / "hostile"
    hostile.mkdir()
    for label, table, path, expect in _hostile(hostile):
        attempt(con, table, path, expect)
        assert con.execute("SELECT count(*) FROM children").fetchone()[0] >= children, label
    keys = con.execute("SELECT json_keys(extra) FROM referrals WHERE referral_id = 'H2'").fetchone()[0]
    assert keys == ["note); DROP TABLE children; --"]


# ---------------------------------------------------------------- kill -9 during `cscp load`


def _version(db: Path) -> tuple[str, int, int]:
    con = store.connect(db, read_only=True)
    try:
        return (
            store.content_hash(con),
            con.execute("SELECT count(*) FROM loads").fetchone()[0],
            con.execute("SELECT count(*) FROM referrals").fetchone()[0],
        )
    finally:
        con.close()


def _cli_load(db: Path, csv_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*CLI, "load", "--table", "referrals", "--db", str(db), str(csv_path)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_a_load_killed_at_a_random_moment_leaves_the_old_or_the_new_version(small_store, tmp_path):
    con, folder = small_store
    con.execute("CHECKPOINT")
    original = tmp_path / "original.duckdb"
    shutil.copyfile(folder / "small.duckdb", original)
    big = tmp_path / "big.csv"
    big.write_text(REFS + "".join(f"C{i % 900},K{i},2019-{1 + i % 12:02d}-15,police\n" for i in range(60_000)))
    done = tmp_path / "done.duckdb"
    shutil.copyfile(original, done)
    started = time.perf_counter()
    assert _cli_load(done, big).wait(timeout=120) == 0
    full = time.perf_counter() - started
    old, new = _version(original), _version(done)
    assert new[2] == old[2] + 60_000
    rng = random.Random(int(os.environ.get("CSCP_FUZZ_SEED", "0")) or None)
    for trial in range(int(os.environ.get("CSCP_CRASH_TRIALS", "2"))):  # tests/test_crash.py kills loads too
        db = tmp_path / f"trial{trial}.duckdb"
        shutil.copyfile(original, db)
        proc = _cli_load(db, big)
        time.sleep(rng.uniform(0.2, full * 1.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        TALLY.crash_kills += 1
        seen = _version(db)
        outcome = "old" if seen == old else "new" if seen == new else "neither"
        setattr(TALLY, f"crash_store_{outcome}", getattr(TALLY, f"crash_store_{outcome}") + 1)
        assert outcome != "neither", (trial, seen, old, new)


def _report() -> None:
    text = json.dumps(asdict(TALLY), indent=2)
    print("\nloader fuzz tally:\n" + text)
    if os.environ.get("CSCP_FUZZ_REPORT"):
        Path(os.environ["CSCP_FUZZ_REPORT"]).write_text(text)
