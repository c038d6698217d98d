"""A store for one council from DfE's published figures alone: the packaged extract (every LA, region and England,
2012-13 to 2024-25), ONS populations and the council's identity. Local returns are loaded on top with `cscp load`."""

from __future__ import annotations

import duckdb

from cscp_metrics import council
from cscp_metrics.store import benchmarks
from cscp_metrics.store.statements import first_row

AGENCIES = {
    "local_authority": "Children's social care and early help",
    "police": "Police",
    "health": "Health",
    "camhs": "Child and adolescent mental health services",
    "education": "Schools and education services",
    "youth_offending": "Youth justice service",
    "probation": "Probation",
    "safety_net": "Domestic abuse services",
    "lado": "Local Authority Designated Officer",
    "partnership": "Partnership business unit",
    "community_safety": "Community safety",
    "public_health": "Public health",
}


def empty(con: duckdb.DuckDBPyConnection) -> None:
    """Every table emptied (schema and migrations kept): `--force` builds the new council's store from nothing."""
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "AND table_schema = current_schema() AND table_name <> 'schema_version'"
        ).fetchall()
    ]
    for table in tables:
        con.execute(f'DELETE FROM "{table}"')


def build(con: duckdb.DuckDBPyConnection, code_or_name: str) -> list[str]:
    """Import the DfE extract, find the council in it and write its identity; raise UnknownCouncil (nothing kept
    by the caller's new_version) when no council has that code or name."""
    empty(con)
    benchmarks.import_extract(con)
    found = council.find(con, code_or_name)
    lines = council.settle(con, found)
    con.executemany("INSERT OR REPLACE INTO agencies VALUES (?, ?)", list(AGENCIES.items()))
    years = first_row(
        con,
        "SELECT min(period), max(period), count(DISTINCT indicator_id) FROM benchmarks "
        "WHERE area_code = ? AND value IS NOT NULL",
        [found.code],
    )
    lines.append(f"DfE published figures: {years[2]} indicators, {years[0]} to {years[1]}")
    return lines
