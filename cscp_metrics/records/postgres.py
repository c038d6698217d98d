"""The PostgreSQL backend of the working records, used when CSCP_WORKSPACE_URL=postgresql://… is set, so app
replicas on several hosts share one set of records. Repositories write `?` placeholders (DuckDB's); psycopg
wants `%s`, so the statement is translated here (a literal % doubled first). Connection failures become a
WorkspaceError naming the host and database, never the password."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

URL_SCHEMES = ("postgresql://", "postgres://")
MIGRATION_LOCK = 7_014_014  # pg_advisory_xact_lock key: replicas starting together migrate one at a time


def placeholders(sql: str) -> str:
    """`?` to `%s`; our SQL has no `?` inside string literals (repositories bind every value)."""
    return sql.replace("%", "%%").replace("?", "%s")


def where(url: str) -> str:
    """host:port/dbname for messages: no user name or password."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "an unreadable CSCP_WORKSPACE_URL"
    return f"{parts.get('host', 'localhost')}:{parts.get('port', 5432)}/{parts.get('dbname', '')}"


class PostgresRecords:
    backend = "postgresql"

    def __init__(self, con: psycopg.Connection) -> None:
        self._con = con
        self._depth = 0

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        if params:
            self._con.execute(placeholders(sql), list(params))
        else:  # no parameters: simple protocol, so a migration may hold several statements
            self._con.execute(sql.encode("utf-8"))

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self._con.execute(placeholders(sql), list(params))
        names = [d.name for d in cur.description or []]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self._con.execute(placeholders(sql), list(params)).fetchone()
        return row[0] if row else None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing; a transaction inside another joins it."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._depth = 1
        try:
            with self._con.transaction():
                yield
        finally:
            self._depth = 0

    def lock_migrations(self) -> None:
        self.scalar("SELECT pg_advisory_xact_lock(?)", [MIGRATION_LOCK])

    def close(self) -> None:
        self._con.close()


def connect(url: str, error: type[Exception]) -> PostgresRecords:
    try:
        con = psycopg.connect(url, autocommit=True, connect_timeout=10, options="-c timezone=UTC")
    except psycopg.Error as err:
        reason = str(err).strip().splitlines()[-1] if str(err).strip() else type(err).__name__
        raise error(f"the working records at {where(url)} (CSCP_WORKSPACE_URL) cannot be opened: {reason}") from None
    return PostgresRecords(con)
