"""A tile's trend as a small static SVG measured from zero, with its values as its accessible name.

Streamlit's own metric sparkline scales its y axis to the data (a fall from 6,390 to 6,223 fills its height) and
draws an SVG without a name (axe: svg-img-alt); this one starts at zero and says what it shows.
"""

from __future__ import annotations

from cscp_metrics.outputs.palette import GREY_MARK, OKABE_ITO

WIDTH, HEIGHT, PAD = 240, 48, 4


def points(values: list[float | None]) -> list[tuple[float, float]]:
    """(x, y) in SVG units for each value that is shown, zero at the bottom edge, the largest value at the top."""
    top = max((v for v in values if v is not None), default=0) or 1
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    return [
        (PAD + i * step, HEIGHT - PAD - (v / top) * (HEIGHT - 2 * PAD)) for i, v in enumerate(values) if v is not None
    ]


def svg(values: list[float | None]) -> str:
    """Numbers are the only thing in the markup (st.image shows it, with the values as its alt text)."""
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points(values))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">'
        f'<line x1="0" y1="{HEIGHT - PAD}" x2="{WIDTH}" y2="{HEIGHT - PAD}" stroke="{GREY_MARK}" stroke-width="1"/>'
        f'<polyline points="{line}" fill="none" stroke="{OKABE_ITO[0]}" stroke-width="2.5"/></svg>'
    )
