"""The report chapter as a Word document (python-docx: real headings, so the report's own contents page and
styles take it in; pictures with alt text; tables with a header row) or as HTML (every value escaped)."""

from __future__ import annotations

import base64
import io
from html import escape
from pathlib import Path

from docx import Document
from docx.shared import Inches

from .chapter import Chapter, Section, Table


def write_docx(chapter: Chapter, out: Path | io.BytesIO) -> None:
    doc = Document()
    doc.core_properties.title = chapter.title
    doc.add_heading(chapter.title, level=1)
    doc.add_paragraph(chapter.introduction)
    for section in chapter.sections:
        doc.add_heading(section.heading, level=2)
        for text in section.paragraphs:
            doc.add_paragraph(text)
        if section.chart is not None:
            doc.add_picture(io.BytesIO(section.chart.png), width=Inches(6.0))
            shape = doc.inline_shapes[-1]
            shape._inline.docPr.set("descr", section.chart.alt_text)  # python-docx has no alt-text API
            shape._inline.docPr.set("title", section.chart.title)
            doc.add_paragraph(section.chart.title, style="Caption")
        for table in section.tables:
            _docx_table(doc, table)
        if section.definitions:
            doc.add_heading("Definitions", level=3)
            for text in section.definitions:
                doc.add_paragraph(text, style="List Bullet")
    doc.save(out if isinstance(out, io.BytesIO) else str(out))


def _docx_table(doc, table: Table) -> None:
    doc.add_paragraph(table.caption, style="Caption")
    grid = doc.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.header):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in table.rows:
        for cell, text in zip(grid.add_row().cells, row):
            cell.text = text


STYLE = (
    "body{font-family:Arial,sans-serif;max-width:60rem;margin:2rem auto;color:#1a1a1a;line-height:1.5}"
    "table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #595959;padding:.3rem .6rem;"
    "text-align:left}caption{text-align:left;font-weight:bold}img{max-width:100%}"
)


def html_text(chapter: Chapter) -> str:
    """A standalone page; nothing from the data is ever markup: every value goes through html.escape."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        f"<title>{escape(chapter.title)}</title><style>{STYLE}</style></head><body><main>",
        f"<h1>{escape(chapter.title)}</h1>",
        f"<p>{escape(chapter.introduction)}</p>",
    ]
    for section in chapter.sections:
        parts += _html_section(section)
    parts.append("</main></body></html>")
    return "\n".join(parts)


def _html_section(section: Section) -> list[str]:
    parts = [f"<section><h2>{escape(section.heading)}</h2>"] + [f"<p>{escape(p)}</p>" for p in section.paragraphs]
    if section.chart is not None:
        data = base64.b64encode(section.chart.png).decode("ascii")
        parts.append(
            f'<figure><img src="data:image/png;base64,{data}" alt="{escape(section.chart.alt_text)}">'
            f"<figcaption>{escape(section.chart.title)}</figcaption></figure>"
        )
    for table in section.tables:
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in table.header)
        body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in table.rows)
        parts.append(
            f"<table><caption>{escape(table.caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )
    if section.definitions:
        parts.append(
            "<h3>Definitions</h3><ul>" + "".join(f"<li>{escape(d)}</li>" for d in section.definitions) + "</ul>"
        )
    parts.append("</section>")
    return parts


def write_html(chapter: Chapter, out: Path | io.BytesIO) -> None:
    data = html_text(chapter).encode("utf-8")
    if isinstance(out, io.BytesIO):
        out.write(data)
    else:
        Path(out).write_bytes(data)
