"""The same slide model as a PDF (fpdf2, no office suite): one page per slide, the same boxes as the PPTX, the
same PNG charts with their alt text, text that can be searched and copied."""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF

from . import slide_layout as layout
from .deck import Deck, Slide, TileFigure

FONT_FILES = {
    "": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "B": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
}
POINT = 1 / 72  # inches


class _Pages(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="L", unit="in", format=(layout.SLIDE_H, layout.SLIDE_W))
        self.set_auto_page_break(False)
        self.set_margins(layout.MARGIN, layout.MARGIN)
        self.family = "Helvetica"
        if all(Path(f).is_file() for f in FONT_FILES.values()):
            for style, path in FONT_FILES.items():
                self.add_font("DejaVu", style, path)
            self.family = "DejaVu"

    def plain(self, text: str) -> str:
        """Helvetica (no DejaVu on the machine) knows Latin-1 only."""
        return text if self.family == "DejaVu" else text.encode("latin-1", "replace").decode("latin-1")

    def lines(self, box: layout.Box, lines: list[str], size: int, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.set_xy(box.x, box.y)
        for line in lines:
            self.set_x(box.x)
            self.multi_cell(box.w, size * POINT * 1.25, self.plain(line), align="L", new_x="LMARGIN", new_y="NEXT")
            self.set_y(self.get_y() + 4 * POINT)


def write_pdf(deck: Deck, out: Path | io.BytesIO) -> None:
    pdf = _Pages()
    pdf.set_title(f"{deck.council}: board pack {deck.period}")
    pdf.set_lang("en-GB")
    for number, slide in enumerate(deck.slides, 1):
        pdf.add_page()
        pdf.start_section(slide.title)
        if number == 1:
            pdf.lines(layout.Box(layout.MARGIN, 2.0, layout.TITLE.w, 1.6), [slide.title], 34, bold=True)
            pdf.lines(layout.Box(layout.MARGIN, 3.8, layout.TITLE.w, 2.0), list(slide.bullets), 20)
        else:
            pdf.lines(layout.TITLE, [slide.title], layout.SIZES.title, bold=True)
            _content(pdf, slide)
        pdf.lines(
            layout.FOOTER,
            [layout.footer_text(deck.council, deck.period, deck.view_words, number, len(deck.slides))],
            layout.SIZES.footer,
        )
    data = pdf.output()
    if isinstance(out, io.BytesIO):
        out.write(data)
    else:
        Path(out).write_bytes(data)


def _content(pdf: _Pages, slide: Slide) -> None:
    if slide.subtitle:
        pdf.lines(layout.SUBTITLE, [slide.subtitle], layout.subtitle_size(slide.subtitle))
    if slide.tiles:
        for box, tile in zip(layout.tile_boxes(len(slide.tiles)), slide.tiles):
            _tile(pdf, box, tile)
    elif slide.bullets:
        lines = layout.bullet_lines(slide)
        pdf.lines(layout.BODY, [f"• {line}" for line in lines], layout.bullet_size(lines))
    if slide.chart is not None:
        box = layout.CHART
        pdf.image(
            io.BytesIO(slide.chart.png),
            x=box.x,
            y=box.y,
            w=box.w,
            h=box.h,
            alt_text=slide.chart.alt_text,
            title=slide.chart.title,
        )
        pdf.lines(layout.Box(box.x, box.y + box.h + 0.05, box.w, 0.5), [slide.chart.title], layout.SIZES.tile_line)


def _tile(pdf: _Pages, box: layout.Box, tile: TileFigure) -> None:
    pdf.set_draw_color(0x59, 0x59, 0x59)
    pdf.rect(box.x, box.y, box.w, box.h)
    inner = layout.Box(box.x + 0.08, box.y + 0.06, box.w - 0.16, box.h)
    pdf.lines(inner, [tile.title], layout.SIZES.tile_title, bold=True)
    pdf.lines(
        layout.Box(inner.x, pdf.get_y() - 0.04, inner.w, 0.5), [tile.value_text], layout.SIZES.tile_value, bold=True
    )
    pdf.lines(
        layout.Box(inner.x, pdf.get_y() - 0.04, inner.w, 1.0),
        list(tile.lines[: layout.TILE_LINES]),
        layout.SIZES.tile_line,
    )
