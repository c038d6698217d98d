"""Opening the DuckDB file of working records (the challenge log, the workspace) for one brief read or write.

DuckDB lets one process write a file, or many read it: another process's hold is waited out briefly. Within one
process, two threads connecting to the same file at the same moment can both try to attach it, and the second
gets DuckDB's "unique file handle conflict" (ResourceInUseException): connects are taken one at a time. Nor can
one process hold a file read-only and read-write at once: that hold, brief too, is waited out like another's."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import duckdb

_CONNECTING = threading.Lock()
# tables created by threads of one process in parallel transactions conflict ("write-write conflict on create");
# other processes wait on the file itself
CREATING_TABLES = threading.Lock()


class FileBusy(Exception):
    def __init__(self, path: Path, waited_s: float) -> None:
        super().__init__(f"{path} was held by another process for {waited_s:.0f} s")
        self.path, self.waited_s = path, waited_s


def connect_waiting(path: Path, read_only: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
    """A connection to `path`, or FileBusy once another process has held it for `wait_s` seconds."""
    started = time.monotonic()
    delay = 0.02
    while True:
        try:
            with _CONNECTING:
                return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as err:
            if "lock" not in str(err).lower():
                raise
        except duckdb.ConnectionException as err:  # this process holds it read-write and we read, or the reverse
            if "different configuration" not in str(err):
                raise
        waited = time.monotonic() - started
        if waited > wait_s:
            raise FileBusy(path, waited)
        time.sleep(delay)
        delay = min(delay * 2, 0.25)


def file_version(path: Path) -> tuple[int, ...]:
    """Inode, size and modification time of the file and its write-ahead log: any committed write changes one of
    them (a connection that only reads changes neither), so caches key on this instead of opening the file."""
    version: list[int] = []
    for part in (path, path.with_name(path.name + ".wal")):
        try:
            found = part.stat()
        except FileNotFoundError:
            version += [0, 0, 0]
        else:
            version += [found.st_ino, found.st_size, found.st_mtime_ns]
    return tuple(version)


def close(con: duckdb.DuckDBPyConnection) -> None:
    """Closing the last connection detaches the file: one at a time with connects, for the same reason."""
    with _CONNECTING:
        con.close()
