"""Where a funnel plot's names go: beside each named dot, at the first place clear of the names already placed.

Plotly places every text at one position relative to its dot, so two neighbours of a similar size and value print
their names over each other. This estimates each name's box in pixels of the page's chart and tries the places
around its dot in turn; a name that fits nowhere is left off the chart rather than printed over another (the page says
which, and every name is in the table under the chart)."""

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
# the plot area of the page's chart, 560 high (measured: 1,340 x 420 px at 1920 wide, 1,000 wide at 1440)
PLOT_PX = (1100.0, 420.0)
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
    always: bool = False,
) -> list[str | None]:
    """A plotly textposition for each name, None for a name with no clear place. xs on the chart's log axis spanning
    x_range; ys on a linear axis from 0 to y_top; `taken`: boxes already used (the partnership's name and dots).
    `always`: a name that must be shown (the partnership's) takes the place it overlaps least instead of None."""
    width, height = PLOT_PX
    used = list(taken)
    chosen = []
    for x, y, name in zip(xs, ys, names):
        px, py = pixels(x, y, x_range, y_top)
        boxes = {place: name_box(px, py, name, font_px, place) for place in PLACES}
        clear = [p for p in PLACES if _inside(boxes[p], width, height) and not _covered(boxes[p], used)]
        if always and not clear:
            clear = [min(PLACES, key=lambda p: (not _inside(boxes[p], width, height), _covered(boxes[p], used)))]
        if clear:
            used.append(boxes[clear[0]])
        chosen.append(clear[0] if clear else None)  # a crowded cluster: no clear place, no name printed over another
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


def _covered(box: Box, used: Sequence[Box]) -> float:
    """The area of `box` that boxes already used cover, in square pixels."""
    return sum(_shared(box, b) for b in used)


def _shared(a: Box, b: Box) -> float:
    """The area two boxes share, in square pixels."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _inside(box: Box, width: float, height: float) -> bool:
    return box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height
