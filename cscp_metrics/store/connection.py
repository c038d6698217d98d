"""Open the DuckDB store, apply numbered migrations in place, and fingerprint its content."""

from __future__ import annotations

import hashlib
import os
from importlib import resources
from pathlib import Path

import duckdb

from cscp_metrics.store.sql_quoting import identifier
from cscp_metrics.store.statements import scalar, transaction

DEFAULT_DB = Path("data/cscp.duckdb")
DATA_TABLES = (
    "children",
    "contacts",
    "referrals",
    "assessments",
    "section47_enquiries",
    "cp_plans",
    "looked_after_episodes",
    "missing_episodes",
    "care_leavers",
    "partner_returns",
    "areas",
    "population",
    "statistical_neighbours",
    "agencies",
    "presenting_issues",
    "priority_areas",
    "benchmarks",
    "settings",
)


def resolve_db_path(db: str | Path | None = None) -> Path:
    """--db, else $CSCP_DB, else data/cscp.duckdb."""
    if db:
        return Path(db)
    env = os.environ.get("CSCP_DB")
    return Path(env) if env else DEFAULT_DB


def migrations() -> list[tuple[int, str]]:
    files = resources.files("cscp_metrics.store.schema")
    found = []
    for entry in files.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), entry.read_text(encoding="utf-8")))
    return sorted(found)


def latest_version() -> int:
    return migrations()[-1][0]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = scalar(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'")
    if not exists:
        return 0
    return scalar(con, "SELECT coalesce(max(version), 0) FROM schema_version")


def migrate(con: duckdb.DuckDBPyConnection, up_to: int | None = None) -> int:
    """Apply every migration newer than the store's version, each in its own transaction."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)")
    current = schema_version(con)
    for version, sql in migrations():
        if version <= current or (up_to is not None and version > up_to):
            continue
        with transaction(con):
            con.execute(sql)
            con.execute("INSERT INTO schema_version VALUES (?, now())", [version])
        current = version
    return current


def memory_limit() -> str:
    """DuckDB's memory ceiling per process ($CSCP_MEMORY_LIMIT, default 3GB): beyond it DuckDB spills to disk,
    so an England-scale load stays within a 4 GB process instead of taking 80% of the machine."""
    return os.environ.get("CSCP_MEMORY_LIMIT", "3GB")


def connect(db: str | Path | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (or create) the store and bring its schema up to date. Read-only never migrates."""
    path = resolve_db_path(db)
    config: dict[str, str | bool | int | float | list[str]] = {"memory_limit": memory_limit()}
    if read_only:
        return duckdb.connect(str(path), read_only=True, config=config)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), config=config)
    migrate(con)
    return con


def content_hash(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...] = DATA_TABLES) -> str:
    """Order-independent fingerprint of the data tables (not the load log, whose times vary), in two queries."""
    columns: dict[str, list[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE list_contains(?, table_name) "
        "ORDER BY table_name, ordinal_position",
        [list(tables)],
    ).fetchall():
        columns.setdefault(table, []).append(identifier(column))
    present = [table for table in tables if table in columns]
    digest = hashlib.sha256()
    if present:
        rows = con.execute(
            " UNION ALL ".join(
                f"SELECT {number}, count(*), coalesce(sum(hash({', '.join(columns[table])})), 0)::VARCHAR "
                f"FROM {identifier(table)}"
                for number, table in enumerate(present)
            )
        ).fetchall()
        for number, count, summed in sorted(rows):
            digest.update(f"{present[number]}:{count}:{summed};".encode())
    return digest.hexdigest()
