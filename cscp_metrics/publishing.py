"""One writer, many readers: every change to the store is built in a copy and published by an atomic rename.

Readers (app processes) hold the store open read-only; a rename leaves their open file intact, so they see
the old version or the new one, never half a load. They notice a new version by its inode and mtime."""
from __future__ import annotations

import fcntl
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from . import store


def version_of(path: str | Path) -> tuple[int, int] | None:
    """The published version's identity; None when there is no store yet."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns


@contextmanager
def writer_lock(path: Path) -> Iterator[None]:
    """Writers queue on a lock file beside the store; readers never take it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def new_version(db: str | Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to a copy of the store; published when the block ends without an exception,
    thrown away otherwise."""
    path = store.resolve_db_path(db)
    with writer_lock(path):
        draft = path.with_name(f"{path.name}.draft-{os.getpid()}")
        draft.unlink(missing_ok=True)
        if path.exists():
            shutil.copyfile(path, draft)
        con = store.connect(draft)
        try:
            yield con
            con.execute("CHECKPOINT")
            con.close()
            os.replace(draft, path)
        except BaseException:
            con.close()
            draft.unlink(missing_ok=True)
            Path(str(draft) + ".wal").unlink(missing_ok=True)
            raise


def open_reader(db: str | Path) -> duckdb.DuckDBPyConnection:
    """A private in-memory DuckDB with the store attached read-only. A plain connect() would share the
    process's one instance per path, which keeps serving the file it first opened after a rename."""
    con = duckdb.connect(":memory:", config={"memory_limit": store.memory_limit()})
    con.execute(f"ATTACH '{str(db).replace(chr(39), chr(39) * 2)}' AS store (READ_ONLY)")
    con.execute("USE store")
    return con


def reader_cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor for one thread; cursors do not inherit USE."""
    cursor = con.cursor()
    cursor.execute("USE store")
    return cursor
