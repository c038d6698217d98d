"""Where each part of a slide goes, in inches on a 16:9 slide: the one geometry both renderers (PPTX and PDF)
draw, so a pack's two files show the same thing in the same place."""

from __future__ import annotations

from dataclasses import dataclass

from .deck import Slide

SLIDE_W, SLIDE_H = 13.333, 7.5
MARGIN = 0.45
MAX_BULLETS = 12
TILE_LINES = 3  # under a tile's big number: unit and basis, comparator and result, interval


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class FontSizes:
    title: int = 26
    subtitle: int = 14
    bullet: int = 15
    tile_title: int = 10
    tile_value: int = 22
    tile_line: int = 8
    footer: int = 9


SIZES = FontSizes()
TITLE = Box(MARGIN, 0.3, SLIDE_W - 2 * MARGIN, 0.75)
SUBTITLE = Box(MARGIN, 1.05, SLIDE_W - 2 * MARGIN, 0.7)
BODY = Box(MARGIN, 1.8, SLIDE_W - 2 * MARGIN, 5.1)
FOOTER = Box(MARGIN, SLIDE_H - 0.45, SLIDE_W - 2 * MARGIN, 0.3)
CHART = Box(6.75, 1.85, 6.15, 6.15 * 470 / 900)
TILE_COLUMNS, TILE_W, TILE_H, TILE_GAP = 2, 3.05, 1.62, 0.1


def tile_boxes(count: int) -> list[Box]:
    """Two columns of tiles on the left half, under the subtitle."""
    return [
        Box(
            MARGIN + (i % TILE_COLUMNS) * (TILE_W + TILE_GAP),
            1.85 + (i // TILE_COLUMNS) * (TILE_H + TILE_GAP),
            TILE_W,
            TILE_H,
        )
        for i in range(count)
    ]


def bullet_lines(slide: Slide) -> list[str]:
    """At most MAX_BULLETS lines; the rest are counted in a last line, never silently dropped."""
    lines = list(slide.bullets)
    if len(lines) > MAX_BULLETS:
        lines = lines[: MAX_BULLETS - 1] + [f"… and {len(lines) - MAX_BULLETS + 1} more, listed on the dashboard."]
    return lines


def bullet_size(lines: list[str]) -> int:
    """Smaller type for a long list, so it fits the body box."""
    chars = sum(len(line) for line in lines)
    return SIZES.bullet if chars < 1500 else 13 if chars < 2300 else 11


def subtitle_size(text: str) -> int:
    """A long finding in smaller type, so it stays above the tiles."""
    return SIZES.subtitle if len(text) < 230 else 12 if len(text) < 330 else 10


def footer_text(council: str, period: str, view_words: str, number: int, total: int) -> str:
    return f"{council} · {period} · {view_words} · {number} of {total}"
