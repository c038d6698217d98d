"""Where a funnel plot's names go: beside each named dot, at the first place clear of the names already placed.

Plotly places every text at one position relative to its dot, so two neighbours of a similar size and value print
their names over each other. This estimates each name's box in pixels of the page's chart and tries the places
around its dot in turn; a name that fits nowhere takes the place it overlaps least (every name is also in the table
under the chart)."""

from __future__ import annotations

import math
from collections.abc import Sequence

PLACES = (
    "top center",
    "bottom center",
    "middle right",
    "middle left",
    "top right",
    "top left",
    "bottom right",
    "bottom left",
)
PLOT_PX = (1100.0, 480.0)  # the plot area of the page's chart at 1920 wide and 560 high, where the names are read
CHAR_WIDTH = 0.58  # of the font size: the average width of a character of the chart's sans-serif font
GAP_PX = 8.0  # from the dot's centre to the name


Box = tuple[float, float, float, float]  # left, bottom, right, top in pixels, y upwards


def places(
    xs: Sequence[float],
    ys: Sequence[float],
    names: Sequence[str],
    font_px: float,
    x_range: tuple[float, float],
    y_top: float,
    taken: Sequence[Box] = (),
) -> list[str]:
    """A plotly textposition for each name. xs on the chart's log axis spanning x_range; ys on a linear axis from
    0 to y_top; `taken`: boxes already used (the partnership's name)."""
    width, height = PLOT_PX
    used = list(taken)
    chosen = []
    for x, y, name in zip(xs, ys, names):
        px, py = pixels(x, y, x_range, y_top)
        boxes = {place: name_box(px, py, name, font_px, place) for place in PLACES}
        # the first place clear of everything, else the one covering least (a crowded cluster has no clear place)
        place = min(
            PLACES, key=lambda p: (not _inside(boxes[p], width, height), sum(_shared(boxes[p], b) for b in used))
        )
        used.append(boxes[place])
        chosen.append(place)
    return chosen


def pixels(x: float, y: float, x_range: tuple[float, float], y_top: float) -> tuple[float, float]:
    """A dot's place in the plot area: x on a log axis spanning x_range, y on a linear one from 0 to y_top."""
    low, high = (math.log10(v) for v in x_range)
    across = (math.log10(max(x, x_range[0])) - low) / ((high - low) or 1.0)
    return across * PLOT_PX[0], y / (y_top or 1.0) * PLOT_PX[1]


def name_box(px: float, py: float, name: str, font_px: float, place: str) -> Box:
    w, h = CHAR_WIDTH * font_px * len(name), 1.25 * font_px
    vertical, horizontal = place.split()
    cx = {"center": px, "right": px + GAP_PX + w / 2, "left": px - GAP_PX - w / 2}[horizontal]
    cy = {"top": py + GAP_PX + h / 2, "bottom": py - GAP_PX - h / 2, "middle": py}[vertical]
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def dot_box(px: float, py: float, size: float) -> Box:
    """A marker of `size` pixels across, centred on its point."""
    return (px - size / 2, py - size / 2, px + size / 2, py + size / 2)


def _shared(a: Box, b: Box) -> float:
    """The area two boxes share, in square pixels."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _inside(box: Box, width: float, height: float) -> bool:
    return box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height
