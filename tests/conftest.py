from __future__ import annotations

import fcntl
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from cscp_metrics.demo.build import build
from cscp_metrics.store import connection as store

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# The order the files start in (worker seconds on this 2-core machine, 2026-12-06). The first builds the demo store
# for the whole run in its setup (about a minute on a busy machine); meanwhile the other workers run the files that
# never open the demo (DEMO_FREE, checked at collection), so that they do not wait on the build's lock. Then the
# longest first, so that no worker is left at the end running one of them alone while the others wait.
# pyproject's --no-loadscope-reorder keeps this order: by default xdist sends the files with the most tests first,
# which left the one-test, two-minute concurrency file to the very end.
DEMO_FREE = (
    "test_bench.py",  # 36 s
    "test_council_browser.py",  # 34 s
    "test_fuzz_loading.py",  # 20 s
    "test_loading.py",  # 9 s
    "test_council_figures.py",  # 6 s
)
START_ORDER = (
    "test_ready.py",  # 297 s
    *DEMO_FREE,
    "test_login_browser.py",  # 218 s
    "test_upload_browser.py",  # 155 s
    "test_concurrency_browser.py",  # 148 s
    "test_crash.py",  # 128 s
    "test_browser.py",  # 120 s
    "test_accessibility_browser.py",  # 108 s
    "test_aggregates.py",  # 82 s
    "test_projector_browser.py",  # 79 s
    "test_public_views.py",  # 58 s
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # fixturenames is each test's whole fixture closure: a fixture that copies or serves the demo asks for demo_db
    waiting = sorted({i.path.name for i in items if i.path.name in DEMO_FREE and "demo_db" in i.fixturenames})
    if waiting:
        raise pytest.UsageError(f"tests/conftest.py DEMO_FREE names files whose tests use the demo store: {waiting}")
    rank = {name: i for i, name in enumerate(START_ORDER)}
    items.sort(key=lambda item: rank.get(item.path.name, len(START_ORDER)))  # stable: each file keeps its order


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, worker_id: str) -> Path:
    """The demo store as `cscp demo` publishes it: built, then its ready figures computed. Built once for the
    whole run: the first xdist worker builds it while the other waits on a lock, and each gets its own copy."""
    from cscp_metrics.ready.publish import refresh_file

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    shared = tmp_path_factory.getbasetemp().parent / "demo-built-once" / "demo.duckdb"
    if worker_id == "master":  # not under xdist
        shared = path.with_name("built.duckdb")
    shared.parent.mkdir(exist_ok=True)
    with open(shared.with_name("lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not shared.exists():
            draft = shared.with_name("draft.duckdb")
            con = store.connect(draft)
            build(con)
            con.close()
            refresh_file(draft)  # as a publish does: the signals in a second process beside the tiles
            draft.rename(shared)
    shutil.copyfile(shared, path)
    return path


@pytest.fixture(scope="session", autouse=True)
def _no_ready_figures_in_fixtures() -> None:
    """Importing the CLI or the app registers the ready figures' refresh on every publish (15-30 s of CPU on the
    demo). The test modules import them at collection, so the module fixtures that publish a store (the returns
    seeded, a council initialised) computed them too: 10-48 s of setup each. Publishes compute them only where a
    test asks (`ready_on_publish`); a store that has none current is read live, as pages read it."""
    import cscp_metrics.cli.main  # noqa: F401
    import cscp_ui.data  # noqa: F401
    from cscp_metrics.store import publishing

    publishing._ON_PUBLISH.clear()


@pytest.fixture(scope="session", autouse=True)
def _cli_built_once() -> None:
    """typer's CliRunner builds the click command again on every invoke (34 ms each; about 500 invokes in the suite):
    built once per app instead, as the `cscp` command builds it once per process."""
    import functools

    import typer.testing

    typer.testing._get_command = functools.cache(typer.testing._get_command)  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _publish_without_ready_figures(monkeypatch) -> None:
    """A test's loads publish without the ready figures, and whatever a test registers (the bench does) is gone
    with it."""
    from cscp_metrics.store import publishing

    monkeypatch.setattr(publishing, "_ON_PUBLISH", [])


@pytest.fixture(scope="session")
def chromium():
    """Debian's headless Chromium, launched once per xdist worker (a launch with Playwright's driver costs about
    2.5 s of CPU). Playwright's sync API keeps an asyncio loop running while it is open: the board pack's charts are
    drawn in a thread of their own then (outputs/chart_images.py). Tests take it through `browser`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--headless",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                # the tabs of one context share a renderer: a new tab does not compile Streamlit's frontend again
                # (measured: 1.3 s of renderer CPU for a page instead of 3.0 s)
                "--process-per-site",
            ],
        )
        yield b
        b.close()


@pytest.fixture(scope="module")
def browser(chromium):
    """The worker's Chromium, every tab of the module closed when it ends: a tab left on a server its module has
    stopped keeps reconnecting (0.18 s of CPU every 10 s; kept open for the whole run, such tabs took Chromium
    from 378 to 511 s of CPU)."""
    yield chromium
    for context in chromium.contexts:
        context.close()


@pytest.fixture
def ready_on_publish() -> None:
    from cscp_metrics.ready.publish import register

    register()


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


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server for the session (skipped, with the reason, only where the binaries are absent)."""
    from postgres_cluster import missing_reason, running_cluster

    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    with running_cluster() as url:
        yield url


@pytest.fixture(params=["duckdb", "postgresql"])
def records_store(request, tmp_path, monkeypatch) -> Path:
    """A store path whose working records are on each backend in turn: the DuckDB file beside it, or a fresh
    PostgreSQL database named by CSCP_WORKSPACE_URL. Repository tests take this and run on both."""
    monkeypatch.delenv("CSCP_WORKSPACE_URL", raising=False)
    if request.param == "postgresql":
        import psycopg

        base = request.getfixturevalue("postgres_url")
        name = f"records_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')  # a generated name, not input
        monkeypatch.setenv("CSCP_WORKSPACE_URL", base.rsplit("/", 1)[0] + "/" + name)
    return tmp_path / "cscp.duckdb"
