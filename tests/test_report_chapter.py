"""`cscp report`: the annual report's data chapter as DOCX and HTML, built once from a demo copy whose largest
referral source was renamed by an attacker (the name must reach the HTML as text, never as markup)."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from cscp_metrics.cli import app
from cscp_metrics.outputs.chapter import build_chapter
from cscp_metrics.outputs.chapter_writers import write_docx, write_html
from cscp_metrics.store import aggregates
from cscp_metrics.store import connection as store

HOSTILE = '<img src=x onerror="alert(1)">Police & "Met" </td><script>alert(2)</script>'


@pytest.fixture(scope="module")
def chapter_files(demo_db, tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("chapter")
    path = folder / "hostile.duckdb"
    shutil.copy(demo_db, path)
    con = store.connect(path)
    con.execute("UPDATE referrals SET source = ? WHERE source = 'police'", [HOSTILE])
    aggregates.build(con)
    chapter = build_chapter(con, "2019-20", public=True)
    con.close()
    write_docx(chapter, folder / "chapter.docx")
    write_html(chapter, folder / "chapter.html")
    return folder / "chapter.docx", folder / "chapter.html"


def test_docx_has_a_heading_per_area_and_the_dashboards_sentences(chapter_files):
    doc = Document(str(chapter_files[0]))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "Camden: what the data tell us, 2019-20")
    areas = [text for style, text in headings if style == "Heading 2"]
    assert areas[:4] == ["Front door", "Vulnerable adolescents", "Youth violence", "Domestic abuse"]
    assert {"Child protection", "Children in need", "Children looked after"} <= set(areas)
    assert areas[-1] == "Local figures and DfE's published figures"
    body = "\n".join(p.text for p in doc.paragraphs)
    # the tile's comparison (DfE's base) and the reconciliation's own-base figure, each labelled
    assert (
        "Children on a child protection plan per 10,000, 2019-20: 65.6 in local case records on DfE's population "
        "base, significantly higher than England (43.7)."
    ) in body
    # the reconciliation on the tile's base too: 253 / 38,566 x 10,000, not the own base's 51.3
    assert (
        f"Children on a child protection plan per 10,000 2019-20: {253 / 38_566 * 10_000:.1f} locally on DfE's "
        "population base against 70.0 published by DfE"
    ) in body
    assert "51.3" not in body
    assert "fell from 59.9% in 2018-19 to 32.0% in 2019-20 (worse)" in body
    descriptions = [s._inline.docPr.get("descr") for s in doc.inline_shapes]
    assert len(descriptions) == len([t for t in areas if t != "Local figures and DfE's published figures"])
    assert all(d and d.startswith("Line chart of ") for d in descriptions)
    assert len(doc.tables) >= len(descriptions) + 1  # a table for every chart, and the reconciliation's


def test_html_escapes_a_hostile_source_name(chapter_files):
    text = chapter_files[1].read_text(encoding="utf-8")
    assert "<script" not in text and "onerror=" not in text.replace("onerror=&quot;", "")
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Police &amp; &quot;Met&quot;" in text

    class Elements(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[tuple[str, dict]] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))

    parsed = Elements()
    parsed.feed(text)
    assert not [t for t, a in parsed.tags if t == "script" or "onerror" in a]
    images = [a for t, a in parsed.tags if t == "img"]
    assert images and all(a["src"].startswith("data:image/png;base64,") and a["alt"] for a in images)
    assert [t for t, _ in parsed.tags].count("h2") == len(images) + 1


def test_cli_report_refuses_a_wrong_suffix(demo_db, tmp_path):
    result = CliRunner().invoke(
        app, ["report", "--period", "2019-20", "--out", str(tmp_path / "r.pdf"), "--db", str(demo_db)]
    )
    assert result.exit_code == 2 and "write a .docx or a .html file" in result.output


def test_a_breakdown_by_source_keeps_its_source_column(demo_con):
    """The provenance column was also named "Source" and overwrote the referral sources in every table and CSV."""
    from cscp_metrics.indicators.readable import breakdown_download
    from cscp_metrics.indicators.registry import load_registry
    from cscp_metrics.indicators.summary import breakdown

    frame = breakdown(demo_con, "referrals", "2019-20", "source", {}, public=False)
    table = breakdown_download(load_registry().indicators["referrals"], frame, "source", "2019-20", "local records")
    police = demo_con.execute(
        "SELECT count(*) FROM referrals WHERE source = 'police' AND referral_date "
        "BETWEEN DATE '2019-04-01' AND DATE '2020-03-31'"
    ).fetchone()[0]
    assert police == 501
    row = table[table["Source"] == "police"]
    assert len(row) == 1 and row.iloc[0, 2] == police and set(table["Data source"]) == {"local records"}
