"""The tree says what the code does: stages import only downwards, and the core never needs Streamlit."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "cscp_metrics"
# Definitions (the registry, typed periods, areas, labels and DfE's file map) are data every stage reads;
# they import no stage code, so the store may build its aggregates and contracts from them.
DEFINITIONS = {
    "indicators.registry",
    "indicators.periods",
    "indicators.areas",
    "indicators.labels",
    "indicators.dfe_sources",
}
MAY_IMPORT = {
    "stats": set(),
    "store": {"council", "reference"},
    "indicators": {"store", "stats", "council"},
    "records": {"store", "indicators", "council"},
    "scrutiny": {"indicators", "stats", "store", "records", "council"},
    "outputs": {"indicators", "stats", "store", "records", "scrutiny", "council", "ready"},
    "demo": {"store", "indicators", "council"},
    "ready": {"store", "indicators", "stats", "scrutiny", "council"},
    "bench": {"store", "indicators", "stats", "demo", "ready"},
    "cli": {"store", "indicators", "stats", "records", "scrutiny", "outputs", "council", "demo", "bench", "ready"},
    "council": {"store", "reference"},
}


def _imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found += [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names]
    return found


def test_stages_import_only_downwards():
    wrong = []
    for path in CORE.rglob("*.py"):
        parts = path.relative_to(CORE).with_suffix("").parts
        stage = parts[0]
        if stage == "__init__" or stage not in MAY_IMPORT:
            continue
        module = ".".join(parts[:2])
        for name in _imports(path):
            target = name.split(".")
            if target[0] != "cscp_metrics" or len(target) < 2 or target[1] == stage:
                continue
            if not target[1].islower() or target[1] not in MAY_IMPORT and target[1] not in {"reference"}:
                continue  # a constant from the package root
            definitions = ".".join(target[1:3]) in DEFINITIONS and module not in DEFINITIONS
            if target[1] not in MAY_IMPORT[stage] and not definitions:
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_definitions_import_no_stage_code():
    for name in DEFINITIONS:
        path = CORE / (name.replace(".", "/") + ".py")
        path = path if path.exists() else CORE / name.replace(".", "/") / "__init__.py"
        stages = {
            i.split(".")[1] for i in _imports(path) if i.startswith("cscp_metrics.") and i.split(".")[1].islower()
        }
        stages -= {"indicators", "council", "reference", "read_memo"}  # read_memo: a decorator, no stage
        assert not stages, f"{name} imports {stages}"


def test_the_core_imports_without_streamlit():
    """Every module of cscp_metrics imports with Streamlit made unimportable."""
    modules = [
        ".".join(("cscp_metrics", *p.relative_to(CORE).with_suffix("").parts)).removesuffix(".__init__")
        for p in CORE.rglob("*.py")
        if p.name != "__main__.py"
    ]
    script = (
        "import sys, importlib; sys.modules['streamlit'] = None\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print('streamlit' in sys.modules and sys.modules['streamlit'] is not None)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "False"


def test_starting_the_cli_or_the_app_does_not_import_scipy_stats():
    """scipy.stats costs every process 1.1 s of CPU to import: the CLI, each app server and each publish's second
    process start without it (intervals use scipy.special), and only the tests that need it import it."""
    script = (
        "import sys, cscp_metrics.cli.main, cscp_ui.data, cscp_ui.overview, cscp_ui.scrutiny, cscp_ui.funnel\n"
        "import cscp_metrics.ready.publish, cscp_metrics.ready.signals, cscp_metrics.scrutiny.where_to_look\n"
        "print(sorted(m for m in sys.modules if m.startswith('scipy.stats')))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_at_most_ten_modules_directly_in_the_core():
    assert len(list(CORE.glob("*.py"))) <= 10


def test_the_test_files_started_first_exist():
    from conftest import START_ORDER

    missing = [name for name in START_ORDER if not (ROOT / "tests" / name).exists()]
    assert not missing, f"tests/conftest.py START_ORDER names files that are gone: {missing}"
