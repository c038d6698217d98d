from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cscp_metrics.store import connection as store
from cscp_metrics.demo.build import build

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    con = store.connect(path)
    build(con)
    con.close()
    return path


@pytest.fixture
def demo_con(demo_db):
    con = store.connect(demo_db, read_only=True)
    yield con
    con.close()


@pytest.fixture
def empty_store(tmp_path):
    con = store.connect(tmp_path / "empty.duckdb")
    yield con
    con.close()


@pytest.fixture
def demo_copy(demo_db, tmp_path) -> Path:
    target = tmp_path / "copy.duckdb"
    shutil.copy(demo_db, target)
    return target
