"""Dates with the rhythm of real front-door work: school holidays and the March 2020 lockdown."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

FIRST_FY, LAST_FY = 2014, 2020  # 2014-15 .. 2020-21
FY_STARTS = tuple(range(FIRST_FY, LAST_FY + 1))

# Relative daily volume by calendar month: schools refer less in August, late December and at Easter.
MONTH_WEIGHT = {1: 1.05, 2: 1.0, 3: 1.05, 4: 0.85, 5: 1.05, 6: 1.1, 7: 1.05, 8: 0.6, 9: 1.0, 10: 1.1, 11: 1.1, 12: 0.8}


def lockdown_factor(day: date) -> float:
    """Contacts fell sharply from the first lockdown (23 March 2020) and recovered over the autumn."""
    if date(2020, 3, 23) <= day <= date(2020, 5, 31):
        return 0.55
    if date(2020, 3, 16) <= day < date(2020, 3, 23):
        return 0.8
    if date(2020, 6, 1) <= day <= date(2020, 8, 31):
        return 0.8
    if date(2021, 1, 5) <= day <= date(2021, 3, 7):
        return 0.8
    return 1.0


def fy_days(start_year: int) -> list[date]:
    first = date(start_year, 4, 1)
    return [first + timedelta(days=i) for i in range((date(start_year + 1, 4, 1) - first).days)]


def day_weights(days: list[date], school_driven: bool = True) -> np.ndarray:
    weights = np.array(
        [
            (MONTH_WEIGHT[d.month] if school_driven else 1.0) * (0.35 if d.weekday() >= 5 else 1.0) * lockdown_factor(d)
            for d in days
        ]
    )
    return weights / weights.sum()


def sample_dates(rng: np.random.Generator, start_year: int, n: int, school_driven: bool = True) -> list[date]:
    """n dates in financial year start_year, sorted, following the seasonal weights."""
    days = fy_days(start_year)
    picks = rng.choice(len(days), size=n, p=day_weights(days, school_driven))
    return [days[i] for i in sorted(picks)]


def year_end(start_year: int) -> date:
    return date(start_year + 1, 3, 31)


def one_year_earlier(day: date) -> date:
    """Same calendar date twelve months earlier (29 February falls back to 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)
