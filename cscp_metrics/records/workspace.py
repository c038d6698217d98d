"""Working records: the partnership's own records (members, return schedule, risks, audits, reviews, actions)
with history.

They live beside the published store, not in it: the store is rebuilt and swapped by each load, while these
are edited a row at a time by app sessions. One small repository layer hides the backend: a DuckDB file
beside the store by default (`cscp.workspace.duckdb`, opened briefly for each read or write, like the
challenge log), and PostgreSQL when CSCP_WORKSPACE_URL is set, so replicas on several hosts share them.
Repositories write `?` placeholders and plain SQL both backends accept; migrations are numbered."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import duckdb

from cscp_metrics.records import duckdb_file, postgres
from cscp_metrics.records.duckdb_file import CREATING_TABLES, FileBusy, close, connect_waiting
from cscp_metrics.records.postgres import PostgresRecords
from cscp_metrics.store.connection import resolve_db_path
from cscp_metrics.store.statements import transaction

MIGRATION_PREFIX = "records_"


class WorkspaceError(Exception):
    """The working records cannot be opened; the message says why."""


class Records(Protocol):
    """What a repository needs from a backend."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any: ...

    def transaction(self) -> AbstractContextManager[None]: ...


class DuckDBRecords:
    backend = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self._depth = 0

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._con.execute(sql, list(params))

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self._con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self._con.execute(sql, list(params)).fetchone()
        return row[0] if row else None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing; a transaction inside another joins it."""
        self._depth += 1
        if self._depth > 1:
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            with transaction(self._con):
                yield
        finally:
            self._depth = 0

    def lock_migrations(self) -> None:
        """The file is held by this connection alone: nothing to lock."""


def records_path(store: str | Path | None = None) -> Path:
    path = resolve_db_path(store)
    return path.with_name(path.name.removesuffix(".duckdb") + ".workspace.duckdb")


def migrations() -> list[tuple[int, str]]:
    found = []
    for entry in resources.files("cscp_metrics.records.schema").iterdir():
        name = entry.name.removeprefix(MIGRATION_PREFIX)
        if entry.name.startswith(MIGRATION_PREFIX) and name[:3].isdigit() and name.endswith(".sql"):
            found.append((int(name[:3]), entry.read_text(encoding="utf-8")))
    return sorted(found)


def migrate(records: DuckDBRecords | PostgresRecords) -> int:
    """Apply the numbered migrations not yet applied, all in one transaction (replicas take turns on PostgreSQL)."""
    with records.transaction():
        records.lock_migrations()
        records.execute(
            "CREATE TABLE IF NOT EXISTS records_schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)"
        )
        current = records.scalar("SELECT coalesce(max(version), 0) FROM records_schema_version")
        for version, sql in migrations():
            if version > current:
                records.execute(sql)
                records.execute("INSERT INTO records_schema_version VALUES (?, current_timestamp)", [version])
                current = version
    return current


def workspace_url() -> str | None:
    """CSCP_WORKSPACE_URL when it names PostgreSQL; anything else set there is refused with a message."""
    url = os.environ.get("CSCP_WORKSPACE_URL", "").strip()
    if not url:
        return None
    if not url.startswith(postgres.URL_SCHEMES):
        raise WorkspaceError(
            "CSCP_WORKSPACE_URL must start with postgresql:// (or be unset, to keep the working "
            "records in the DuckDB file beside the store)"
        )
    return url


def file_version(store: str | Path | None = None) -> tuple[int, ...] | None:
    """The DuckDB records file's version (see duckdb_file.file_version); None on PostgreSQL, where only a query
    (history.stamp) says whether anything was written."""
    return None if workspace_url() else duckdb_file.file_version(records_path(store))


@contextmanager
def opened(store: str | Path | None = None, wait_s: float = 5.0) -> Iterator[DuckDBRecords | PostgresRecords]:
    """The working records, open for one read or write: PostgreSQL when CSCP_WORKSPACE_URL is set, else the
    DuckDB file beside the store (another process holding the file makes us wait)."""
    url = workspace_url()
    if url:
        shared = postgres.connect(url, WorkspaceError)
        try:
            migrate(shared)
            yield shared
        finally:
            shared.close()
        return
    path = records_path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = connect_waiting(path, read_only=False, wait_s=wait_s)
    except FileBusy as busy:
        raise WorkspaceError(f"the working records {path} are busy ({busy}); nothing was changed; try again") from None
    try:
        records = DuckDBRecords(con)
        with CREATING_TABLES:
            migrate(records)
        yield records
    finally:
        close(con)
