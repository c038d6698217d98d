"""Significance against a benchmark (Fingertips rule) read through the indicator's polarity."""

from __future__ import annotations

import math


def compare(lower: float | None, upper: float | None, benchmark: float | None, polarity: str) -> str:
    """'similar' when the benchmark lies inside the area's interval (inclusive); otherwise higher/lower,
    turned into better/worse unless the polarity is neutral."""
    if lower is None or upper is None or benchmark is None or any(math.isnan(v) for v in (lower, upper, benchmark)):
        return "not compared"
    if lower <= benchmark <= upper:
        return "similar"
    direction = "higher" if lower > benchmark else "lower"
    if polarity == "high_is_good":
        return "better" if direction == "higher" else "worse"
    if polarity == "low_is_good":
        return "better" if direction == "lower" else "worse"
    return direction
