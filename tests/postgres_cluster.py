"""A throwaway PostgreSQL server for the working-records tests: Debian's postgresql 15 binaries, a cluster
initdb'd in a temporary folder, started on a free localhost port and stopped afterwards. initdb refuses to run
as root, so as root the cluster belongs to the unprivileged `postgres` user that Debian's package creates."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN = Path(os.environ.get("CSCP_PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "cscp_test"


def missing_reason() -> str | None:
    """Why the server cannot be started here, or None when it can."""
    if not (BIN / "initdb").exists() or not (BIN / "pg_ctl").exists():
        return (
            f"PostgreSQL server binaries not found in {BIN} (apt-get install postgresql, or set CSCP_PG_BIN): "
            "the PostgreSQL backend of the working records is untested here"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no unprivileged 'postgres' user to own a test cluster"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(args: list[str]) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    done = subprocess.run(prefix + args, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr.strip() or done.stdout.strip()}")


@contextmanager
def running_cluster() -> Iterator[str]:
    """Yields a URL (no password: trust on localhost) of the server's `postgres` database."""
    folder = Path(tempfile.mkdtemp(prefix="cscp-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", _free_port()
    _run([str(BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", SUPERUSER, "-E", "UTF8", "--no-sync"])
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -F"
    _run([str(BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"])
    try:
        yield f"postgresql://{SUPERUSER}@127.0.0.1:{port}/postgres"
    finally:
        _run([str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(folder, ignore_errors=True)
