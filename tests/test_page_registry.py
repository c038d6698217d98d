"""The page registry is the one list of pages: files, navigation sections, area links and the demo agree with it."""

from __future__ import annotations

from pathlib import Path

from cscp_metrics.indicators.registry import load_registry
from cscp_metrics.indicators.registry.pages import PageRegistry, PageSpec, check, load_pages

ROOT = Path(__file__).resolve().parent.parent


def test_every_page_has_its_one_line_file_and_every_file_is_a_page():
    registry = load_pages()
    files = {p.stem for p in (ROOT / "pages").glob("*.py")}
    assert files == {p.url_path for p in registry.pages}
    for spec in registry.pages:
        code = [
            line
            for line in (ROOT / spec.file).read_text().splitlines()
            if line and not line.startswith(("from", "import"))
        ]
        assert code == [f'show_page("{spec.url_path}")'], spec.file


def test_every_indicator_area_is_named_and_on_exactly_one_page():
    registry = load_pages()
    assert {i.priority_area for i in load_registry().indicators.values()} <= set(registry.areas)
    for area in registry.areas:
        assert sum(area in p.areas for p in registry.pages) == 1, area


def test_registry_rules_say_what_is_wrong():
    broken = PageRegistry(
        areas={"neglect": "Neglect", "lado": "LADO"},
        pages=(
            PageSpec(url_path="a", title="A", section="Priority areas", kind="priority", areas=("neglect", "stray")),
            PageSpec(url_path="a", title="B", section="Priority areas", kind="priority", areas=("neglect",)),
        ),
    )
    problems = check(broken)
    assert "pages.toml: url_path 'a' appears 2 times" in problems
    assert "pages.toml: priority area 'neglect' is on 2 pages (a, a); it must be on exactly one" in problems
    assert "pages.toml: priority area 'lado' is on 0 pages (none); it must be on exactly one" in problems
    assert "pages.toml: page 'a' shows area 'stray', which [areas] does not name" in problems


def test_navigation_has_sections_in_meeting_order():
    sections = [p.section for p in load_pages().pages]
    order = ["Meeting", "Priority areas", "Scrutiny", "Assurance", "Data"]
    assert sorted(set(sections), key=order.index) == [s for s in order if s in sections]
    assert {"Meeting", "Priority areas", "Scrutiny", "Data"} <= set(sections)


def test_the_demo_stores_the_registry_areas_in_order(demo_db):
    from cscp_metrics.store import connection as store

    # as every other reader opens it: a plain connect's different configuration is refused while another test's
    # connection to the same file is still open in this worker
    with store.connect(demo_db, read_only=True) as con:
        rows = con.execute("SELECT area_id, title FROM priority_areas ORDER BY ord").fetchall()
    assert rows == list(load_pages().areas.items())
