"""A tile's trend as a small static SVG measured from zero, with its values as its accessible name.

Streamlit's own metric sparkline scales its y axis to the data (a fall from 6,390 to 6,223 fills its height) and
draws an SVG without a name (axe: svg-img-alt); this one starts at zero and says what it shows.
"""

from __future__ import annotations

from cscp_metrics.outputs.palette import GREY_MARK, OKABE_ITO

WIDTH, HEIGHT, PAD = 240, 48, 4


def _scale(values: list[float | None]) -> tuple[float, float]:
    """The lowest and highest value the height spans: always including zero (a change below zero, -6%, is drawn
    under the zero line, inside the picture, not off its bottom edge)."""
    shown = [v for v in values if v is not None]
    low, high = min([0.0, *shown]), max([0.0, *shown])
    return low, (high if high > low else low + 1)


def _y(value: float, low: float, high: float) -> float:
    return HEIGHT - PAD - (value - low) / (high - low) * (HEIGHT - 2 * PAD)


def points(values: list[float | None]) -> list[tuple[float, float]]:
    """(x, y) in SVG units for each value that is shown: zero on the line drawn across, the largest value at the top
    (or zero there, when every value is below it)."""
    return [point for run in runs(values) for point in run]


def runs(values: list[float | None]) -> list[list[tuple[float, float]]]:
    """The points in unbroken runs: a hidden or missing year is a gap in the line, not a straight join across it."""
    low, high = _scale(values)
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    found: list[list[tuple[float, float]]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            found.append([])
        else:
            found[-1].append((PAD + i * step, _y(v, low, high)))
    return [run for run in found if run]


def svg(values: list[float | None]) -> str:
    """Numbers are the only thing in the markup (st.image shows it, with the values as its alt text). Strokes keep
    their width when a wide column stretches the picture (non-scaling-stroke)."""
    zero = _y(0.0, *_scale(values))
    marks = []
    for run in runs(values):
        if len(run) == 1:  # a year alone between gaps: a dot
            marks.append(f'<circle cx="{run[0][0]:.1f}" cy="{run[0][1]:.1f}" r="2.5" fill="{OKABE_ITO[0]}"/>')
        else:
            line = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            marks.append(
                f'<polyline points="{line}" fill="none" stroke="{OKABE_ITO[0]}" stroke-width="2.5" '
                'vector-effect="non-scaling-stroke"/>'
            )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">'
        f'<line x1="0" y1="{zero:.1f}" x2="{WIDTH}" y2="{zero:.1f}" stroke="{GREY_MARK}" stroke-width="1" '
        'vector-effect="non-scaling-stroke"/>' + "".join(marks) + "</svg>"
    )
