"""One writer, many readers: every change to the store is built in a copy and published by an atomic rename.

Readers (app processes) hold the store open read-only; a rename leaves their open file intact, so they see
the old version or the new one, never half a load. They notice a new version by its inode and mtime."""

from __future__ import annotations

import fcntl
import glob
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from cscp_metrics.store import connection as store
from cscp_metrics.store.reader_instances import fresh_instance
from cscp_metrics.store.sql_quoting import literal

_ON_PUBLISH: list[Callable[[Path], object]] = []


def derive_on_publish(derive: Callable[[Path], object]) -> None:
    """Run `derive` on every new version's draft file, closed, just before it is published (the ready figures,
    registered by the CLI and the app: the store knows nothing of them). A version published without it is still
    correct: readers check what its ready figures were computed from, and compute live when they do not match."""
    if derive not in _ON_PUBLISH:
        _ON_PUBLISH.append(derive)


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


class NoStore(Exception):
    """The store the command was pointed at does not exist: say so and how to make one, never build an empty one."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"there is no store at {path}. Build the demo partnership with `cscp demo --db {path}`, "
            f"or start an empty store with `cscp load --create --db {path} --table TABLE FILE`."
        )


def existing_store(db: str | Path | None = None) -> Path:
    """The store's path for a command that only reads it; NoStore when there is nothing there."""
    path = store.resolve_db_path(db)
    if not path.is_file():
        raise NoStore(path)
    return path


def _draft_files(path: Path) -> list[Path]:
    """Drafts beside the store (draft-PID, its .wal and DuckDB's .tmp spill folder)."""
    return sorted(path.parent.glob(f"{glob.escape(path.name)}.draft-*"))


def remove_abandoned_drafts(path: Path) -> list[Path]:
    """Called with the writer lock held. A draft only lives while its writer holds the lock, so every draft
    seen now was left by a writer that died (kill -9, power cut): each can be a whole copy of the store."""
    removed = []
    for leftover in _draft_files(path):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
        removed.append(leftover)
    return removed


RECEIPT = ".receipt"  # a file beside a draft that travels with it: what was derived from exactly that file


def receipt_path(path: Path) -> Path:
    return path.with_name(path.name + RECEIPT)


def _publish(draft: Path, path: Path) -> None:
    """Durable and atomic: the draft's bytes reach the disk before the rename, and the rename before we return.
    The draft's receipt goes first: until the store follows, it names a file that is not the one published."""
    with open(draft, "rb") as handle:
        os.fsync(handle.fileno())
    if receipt_path(draft).exists():
        os.replace(receipt_path(draft), receipt_path(path))
    else:
        receipt_path(path).unlink(missing_ok=True)
    os.replace(draft, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


@contextmanager
def new_version(
    db: str | Path | None = None, *, create: bool = False, start_empty: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to a draft of the store; published by an atomic rename when the block ends without
    an exception, thrown away otherwise. The draft is a copy of the store, or an empty store with `start_empty`
    (`cscp demo --force`: the old store stays published until the new one replaces it). A store that does not
    exist is refused (NoStore) unless `create`: after a lost store, a load must not quietly start an empty one."""
    path = store.resolve_db_path(db)
    if not create:
        existing_store(path)  # before the lock, which would create the folder and lock file
    with writer_lock(path):
        remove_abandoned_drafts(path)
        exists = path.is_file()
        if not exists and not create:
            raise NoStore(path)
        draft = path.with_name(f"{path.name}.draft-{os.getpid()}")
        if exists and not start_empty:
            shutil.copyfile(path, draft)
        con = store.connect(draft)
        try:
            yield con
            con.execute("CHECKPOINT")
            con.close()
            for derive in _ON_PUBLISH:  # what pages show, computed once here instead of on every rerun
                derive(draft)
            _publish(draft, path)
        except BaseException:
            con.close()
            draft.unlink(missing_ok=True)
            receipt_path(draft).unlink(missing_ok=True)
            Path(str(draft) + ".wal").unlink(missing_ok=True)
            raise


def open_reader(db: str | Path) -> duckdb.DuckDBPyConnection:
    """A private in-memory DuckDB with the store attached read-only. A plain connect() would share the
    process's one instance per path, which keeps serving the file it first opened after a rename."""
    con = fresh_instance(store.memory_limit())
    con.execute(f"ATTACH {literal(str(db))} AS store (READ_ONLY)")
    con.execute("USE store")
    return con


def reader_cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor for one thread; cursors do not inherit USE."""
    cursor = con.cursor()
    cursor.execute("USE store")
    return cursor
