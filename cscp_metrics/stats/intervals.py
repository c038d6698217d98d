"""Confidence intervals: Wilson score for proportions, Byar's / exact Poisson for counts and rates.

All functions take scalars or numpy arrays and return (lower, upper) on the scale asked for."""

from __future__ import annotations

import numpy as np

# scipy.special, not scipy.stats: the same numbers bit for bit (norm.ppf is ndtri; chi2.ppf(q, 2k) / 2 is
# gammaincinv(k, q)), without the 1.1 s of CPU that importing scipy.stats adds to every process's start
from scipy.special import gammaincinv, ndtri


def z_value(confidence: float) -> float:
    """Two-sided z: 1.959964 for 0.95, 3.090232 for 0.998."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (got {confidence}); e.g. 0.95 or 0.998")
    return float(ndtri(1 - (1 - confidence) / 2))


def wilson(x: np.ndarray | float, n: np.ndarray | float, confidence: float = 0.95, multiplier: float = 100.0):
    """Wilson score interval for x of n, times `multiplier` (100 gives percentages)."""
    x, n = np.asarray(x, dtype=float), np.asarray(n, dtype=float)
    if np.any(x < 0) or np.any(x > n):
        raise ValueError("a proportion needs 0 <= numerator <= denominator")
    z = z_value(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        safe_n = np.where(n > 0, n, np.nan)
        root = z * np.sqrt(np.maximum(z**2 + 4 * x * (1 - x / safe_n), 0))
        lower = (2 * x + z**2 - root) / (2 * (safe_n + z**2))
        upper = (2 * x + z**2 + root) / (2 * (safe_n + z**2))
    return lower * multiplier, upper * multiplier


def poisson_count(x: np.ndarray | float, confidence: float = 0.95):
    """Interval for a Poisson count: Byar's method for x >= 10, exact (chi-squared) below 10."""
    x = np.asarray(x, dtype=float)
    if np.any(x < 0):
        raise ValueError("a count cannot be negative")
    z = z_value(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        byar_lo = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
        byar_hi = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
    exact_lo, exact_hi = exact_poisson(x, confidence)
    small = x < 10
    return np.where(small, exact_lo, byar_lo), np.where(small, exact_hi, byar_hi)


def exact_poisson(x: np.ndarray | float, confidence: float = 0.95):
    """The exact Poisson interval for a count x (x need not be whole: a funnel's expected count at a size)."""
    x, alpha = np.asarray(x, dtype=float), 1 - confidence
    # gamma quantiles: chi2.ppf(alpha / 2, 2x) / 2 and chi2.ppf(1 - alpha / 2, 2x + 2) / 2
    lower = np.where(x > 0, gammaincinv(np.maximum(x, 1e-12), alpha / 2), 0.0)
    return lower, gammaincinv(x + 1, 1 - alpha / 2)


def rate(x: np.ndarray | float, population: np.ndarray | float, confidence: float = 0.95, multiplier: float = 10_000.0):
    """Interval for a rate x / population * multiplier, from the count's Poisson interval."""
    population = np.asarray(population, dtype=float)
    if np.any(population <= 0):
        raise ValueError("a rate needs a population greater than zero")
    lo, hi = poisson_count(x, confidence)
    return lo / population * multiplier, hi / population * multiplier


def children_gap(x: float, n: float, comparator_value: float, multiplier: float) -> float:
    """How many children the gap to a comparator is: n * comparator / multiplier - x (positive: we have fewer)."""
    return n * comparator_value / multiplier - x


def children_gap_interval(
    x_lower: float, x_upper: float, n: float, comparator_value: float, multiplier: float
) -> tuple[float, float]:
    """The gap in children with the local count's interval carried through: (expected - x_upper, expected - x_lower)."""
    expected = n * comparator_value / multiplier
    return expected - x_upper, expected - x_lower
