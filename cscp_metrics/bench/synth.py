"""Deterministic synthetic case-level files at a chosen scale, written by DuckDB (hash-based, no RNG state).

Each LA is carried in the children's `ward` column: a partnership store holds one council, so at London or
England scale the catalogue 'for all LAs' is the catalogue broken down by ward."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from cscp_metrics.store.sql_quoting import literal

SCALES = {"partnership": 1, "london": 33, "england": 153}
YEARS = 10  # April 2011 to March 2021
DAYS = 3653
# per LA per year: England's 30 million contacts and 6 million referrals over 153 LAs and 10 years
PER_LA_YEAR = {
    "contacts": 19_600,
    "referrals": 3_920,
    "cp_plans": 300,
    "looked_after_episodes": 220,
    "missing_episodes": 450,
}
CHILDREN_PER_LA = 25_000


@dataclass(frozen=True)
class SynthFiles:
    scale: str
    las: int
    files: dict[str, Path]
    rows: dict[str, int]


def _pick(options: tuple[str, ...], salt: int) -> str:
    quoted = ", ".join(f"'{o}'" for o in options)
    return f"([{quoted}])[1 + (hash(i, {salt}) % {len(options)})::INT]"


def _child(salt: int, las: int) -> str:
    return f"'L' || (i % {las}) || 'C' || (hash(i, {salt}) % {CHILDREN_PER_LA})"


def _day(salt: int) -> str:
    return f"DATE '2011-04-01' + (hash(i, {salt}) % {DAYS})::INT"


def _sql(table: str, n: int, las: int) -> str:
    if table == "children":
        return (
            f"SELECT 'L' || (i % {las}) || 'C' || (i // {las}) AS child_id, "
            f"DATE '2003-01-01' + (30 * (hash(i, 11) % 216))::INT AS birth_month, "
            f"{_pick(('female', 'male'), 12)} AS gender, {_pick(('white', 'black', 'asian', 'mixed', 'other'), 13)} AS ethnicity, "
            f"hash(i, 14) % 20 = 0 AS disability, 'LA' || lpad((i % {las})::VARCHAR, 3, '0') AS ward FROM range({n}) t(i)"
        )
    if table == "contacts":
        return (
            f"SELECT 'K' || i AS contact_id, {_child(21, las)} AS child_id, {_day(22)} AS contact_date, "
            f"{_pick(('police', 'school', 'health', 'local_authority', 'family_friend_self', 'other'), 23)} AS source, "
            f"{_pick(('domestic_abuse', 'neglect', 'mental_health', 'exploitation', 'other'), 24)} AS presenting_issue, "
            f"{_pick(('blue', 'green', 'amber', 'red'), 25)} AS rag FROM range({n}) t(i)"
        )
    if table == "referrals":
        return (
            f"SELECT 'R' || i AS referral_id, {_child(31, las)} AS child_id, {_day(32)} AS referral_date, "
            f"{_pick(('police', 'school', 'health', 'local_authority', 'family_friend_self', 'other'), 33)} AS source, "
            f"{_pick(('blue', 'green', 'amber', 'red'), 34)} AS rag, {_pick(('cin', 'nfa', 'early_help'), 35)} AS outcome "
            f"FROM range({n}) t(i)"
        )
    if table == "cp_plans":
        return (
            f"SELECT 'P' || i AS plan_id, {_child(41, las)} AS child_id, {_day(42)} AS start_date, "
            f"CASE WHEN {_day(42)} + (30 + hash(i, 43) % 900)::INT <= DATE '2021-03-31' "
            f"THEN {_day(42)} + (30 + hash(i, 43) % 900)::INT END AS end_date, "
            f"{_pick(('neglect', 'emotional', 'physical', 'sexual', 'multiple'), 44)} AS category FROM range({n}) t(i)"
        )
    if table == "looked_after_episodes":
        return (
            f"SELECT 'E' || i AS episode_id, {_child(51, las)} AS child_id, {_day(52)} AS start_date, "
            f"CASE WHEN {_day(52)} + (10 + hash(i, 53) % 1200)::INT <= DATE '2021-03-31' "
            f"THEN {_day(52)} + (10 + hash(i, 53) % 1200)::INT END AS end_date, "
            f"{_pick(('foster', 'residential', 'kinship', 'other'), 54)} AS placement_type, "
            f"(hash(i, 55) % 60)::DOUBLE AS distance_miles FROM range({n}) t(i)"
        )
    if table == "missing_episodes":
        start = f"(TIMESTAMP '2011-04-01 00:00:00' + INTERVAL (hash(i, 62) % {DAYS * 24}) HOUR)"
        return (
            f"SELECT 'M' || i AS episode_id, {_child(61, las)} AS child_id, {start} AS start_datetime, "
            f"{start} + INTERVAL (1 + hash(i, 63) % 72) HOUR AS return_datetime, "
            f"CASE WHEN hash(i, 64) % 5 > 0 THEN {start} + INTERVAL (2 + hash(i, 65) % 120) HOUR END AS rhi_offered_datetime, "
            f"hash(i, 66) % 3 > 0 AS rhi_completed, {_pick(('none', 'none', 'cse', 'cce', 'both'), 67)} AS exploitation_risk "
            f"FROM range({n}) t(i)"
        )
    raise KeyError(table)


def write(directory: Path, scale: str) -> SynthFiles:
    """One CSV per table in `directory`."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)} (got {scale!r})")
    las = SCALES[scale]
    directory.mkdir(parents=True, exist_ok=True)
    sizes = {"children": las * CHILDREN_PER_LA, **{t: las * YEARS * n for t, n in PER_LA_YEAR.items()}}
    con = duckdb.connect()
    files = {}
    for table, n in sizes.items():
        path = directory / f"{table}.csv"
        con.execute(f"COPY ({_sql(table, n, las)}) TO {literal(str(path))} (HEADER)")
        files[table] = path
    con.close()
    return SynthFiles(scale=scale, las=las, files=files, rows=sizes)
