"""Funnel plot control limits around a pooled value (Σx/Σn), at 95% and 99.8%."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .intervals import poisson_count, wilson


def funnel_limits(total_x: float, total_n: float, sizes: np.ndarray, statistic: str, multiplier: float) -> pd.DataFrame:
    """Limits at each denominator size: Wilson for proportions, exact Poisson for rates."""
    if total_n <= 0:
        raise ValueError("funnel limits need a pooled denominator greater than zero")
    pooled = total_x / total_n
    sizes = np.asarray(sizes, dtype=float)
    out = pd.DataFrame({"n": sizes, "centre": pooled * multiplier})
    for confidence, tag in ((0.95, "95"), (0.998, "998")):
        if statistic == "proportion":
            lo, hi = wilson(pooled * sizes, sizes, confidence, multiplier)
        else:
            lo, hi = poisson_count(pooled * sizes, confidence)
            lo, hi = lo / sizes * multiplier, hi / sizes * multiplier
        out[f"lower_{tag}"], out[f"upper_{tag}"] = lo, hi
    return out


def funnel_position(value: float, limits: pd.Series) -> str:
    """Where one area sits: within 95%, between 95% and 99.8%, or beyond 99.8% (high or low)."""
    if value > limits["upper_998"]:
        return "above 99.8%"
    if value < limits["lower_998"]:
        return "below 99.8%"
    if value > limits["upper_95"]:
        return "above 95%"
    if value < limits["lower_95"]:
        return "below 95%"
    return "within 95%"
