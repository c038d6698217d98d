"""The slide model as a PowerPoint file (python-pptx): titles in title placeholders (so a screen reader and the
outline view find them), every chart picture with alt text, speaker notes with the definitions."""

from __future__ import annotations

import io
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Inches, Pt

from . import slide_layout as layout
from .deck import Deck, Slide, TileFigure

TITLE_SLIDE, TITLE_ONLY = 0, 5
INK, TILE_BORDER = RGBColor(0x1A, 0x1A, 0x1A), RGBColor(0x59, 0x59, 0x59)


def write_pptx(deck: Deck, out: Path | io.BytesIO) -> None:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(layout.SLIDE_W), Inches(layout.SLIDE_H)
    for number, slide in enumerate(deck.slides, 1):
        if number == 1:
            page = prs.slides.add_slide(prs.slide_layouts[TITLE_SLIDE])
            _place(page.shapes.title, layout.Box(layout.MARGIN, 2.0, layout.SLIDE_W - 2 * layout.MARGIN, 1.6))
            page.shapes.title.text = slide.title
            sub = page.placeholders[1]
            _place(sub, layout.Box(layout.MARGIN, 3.8, layout.SLIDE_W - 2 * layout.MARGIN, 2.0))
            sub.text = "\n".join(slide.bullets)
        else:
            page = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
            _place(page.shapes.title, layout.TITLE)
            page.shapes.title.text = slide.title
            page.shapes.title.text_frame.paragraphs[0].font.size = Pt(layout.SIZES.title)
            _content(page, slide)
        _text(
            page,
            layout.FOOTER,
            [layout.footer_text(deck.council, deck.period, deck.view_words, number, len(deck.slides))],
            layout.SIZES.footer,
        )
        page.notes_slide.notes_text_frame.text = slide.notes or slide.title
    prs.save(out if isinstance(out, io.BytesIO) else str(out))


def _content(page, slide: Slide) -> None:
    if slide.subtitle:
        _text(page, layout.SUBTITLE, [slide.subtitle], layout.subtitle_size(slide.subtitle))
    if slide.tiles:
        for box, tile in zip(layout.tile_boxes(len(slide.tiles)), slide.tiles):
            _tile(page, box, tile)
    elif slide.bullets:
        lines = layout.bullet_lines(slide)
        _text(page, layout.BODY, [f"• {line}" for line in lines], layout.bullet_size(lines))
    if slide.chart is not None:
        box = layout.CHART
        picture = page.shapes.add_picture(
            io.BytesIO(slide.chart.png), Inches(box.x), Inches(box.y), Inches(box.w), Inches(box.h)
        )
        picture.name = slide.chart.title[:120]
        picture._element.nvPicPr.cNvPr.set("descr", slide.chart.alt_text)  # python-pptx has no alt-text API
        _text(page, layout.Box(box.x, box.y + box.h + 0.05, box.w, 0.5), [slide.chart.title], layout.SIZES.tile_line)


def _tile(page, box: layout.Box, tile: TileFigure) -> None:
    shape = page.shapes.add_textbox(Inches(box.x), Inches(box.y), Inches(box.w), Inches(box.h))
    shape.name = f"tile {tile.indicator_id}"
    shape.line.color.rgb = TILE_BORDER
    frame = shape.text_frame
    frame.word_wrap = True
    rows = [(tile.title, layout.SIZES.tile_title, True), (tile.value_text, layout.SIZES.tile_value, True)]
    rows += [(line, layout.SIZES.tile_line, False) for line in tile.lines[: layout.TILE_LINES]]
    for i, (text, size, bold) in enumerate(rows):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = text
        paragraph.font.size, paragraph.font.bold, paragraph.font.color.rgb = Pt(size), bold, INK


def _text(page, box: layout.Box, lines: list[str], size: int) -> None:
    frame = page.shapes.add_textbox(Inches(box.x), Inches(box.y), Inches(box.w), Inches(box.h)).text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size, paragraph.font.color.rgb = Pt(size), INK
        paragraph.space_after = Pt(4)


def _place(shape, box: layout.Box) -> None:
    shape.left, shape.top, shape.width, shape.height = Inches(box.x), Inches(box.y), Inches(box.w), Inches(box.h)
