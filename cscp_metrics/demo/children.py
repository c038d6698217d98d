"""Demographics for synthetic children: month of birth, gender, DfE ethnicity code, disability, ward."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

# Camden's 18 wards (2002-2022 boundaries, as in the 2019-20 report).
WARDS = (
    "Belsize",
    "Bloomsbury",
    "Camden Town with Primrose Hill",
    "Cantelowes",
    "Fortune Green",
    "Frognal and Fitzjohns",
    "Gospel Oak",
    "Hampstead Town",
    "Haverstock",
    "Highgate",
    "Holborn and Covent Garden",
    "Kentish Town",
    "Kilburn",
    "King's Cross",
    "Regent's Park",
    "St Pancras and Somers Town",
    "Swiss Cottage",
    "West Hampstead",
)
WARD_WEIGHTS = (3, 4, 5, 6, 3, 2, 8, 2, 8, 3, 5, 7, 7, 8, 8, 10, 5, 4)
# DfE ethnicity codes with a mix like Camden's children in need.
ETHNICITY = {
    "WBRI": 22,
    "WOTH": 12,
    "WIRI": 1,
    "MWBC": 5,
    "MWBA": 2,
    "MWAS": 2,
    "MOTH": 6,
    "ABAN": 14,
    "AIND": 1,
    "AOTH": 3,
    "BAFR": 12,
    "BCRB": 3,
    "BOTH": 3,
    "CHNE": 1,
    "OOTH": 6,
    "REFU": 1,
    "NOBT": 2,
}
GENDERS = ("female", "male")


class ChildRegister:
    """Hands out pseudonymised child ids and remembers each child's demographics."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.rows: dict[str, dict[str, object]] = {}

    def new(self, on: date, age_range: tuple[int, int] = (0, 17), age_weights: Sequence[float] | None = None) -> str:
        child_id = f"C{len(self.rows) + 1:06d}"
        ages = range(age_range[0], age_range[1] + 1)
        age = ages[_draw(self.rng, len(ages), None if age_weights is None else _cdf(tuple(age_weights)))]
        months = age * 12 + int(self.rng.integers(0, 12))
        total = on.year * 12 + on.month - 1 - months
        self.rows[child_id] = {
            "child_id": child_id,
            "birth_month": date(total // 12, total % 12 + 1, 1),
            "gender": GENDERS[int(self.rng.integers(0, 2))],
            "ethnicity": _ETHNICITY_CODES[_draw(self.rng, len(ETHNICITY), _cdf(tuple(ETHNICITY.values())))],
            "disability": False,
            "ward": WARDS[_draw(self.rng, len(WARDS), _cdf(tuple(WARD_WEIGHTS)))],
        }
        return child_id

    def set_disabled(self, child_ids: list[str]) -> None:
        for child_id in child_ids:
            self.rows[child_id]["disability"] = True

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.rows.values()))


_ETHNICITY_CODES = tuple(ETHNICITY)


def _draw(rng: np.random.Generator, options: int, cdf: np.ndarray | None) -> int:
    """The index rng.choice(range(options), p=weights) draws, from the very same numbers (one uniform with weights,
    one integer without), so the demo is unchanged; without choice's checks on every call (68,000 children, whose
    four draws each took 4 of the demo build's 9 s)."""
    if cdf is None:
        return int(rng.integers(0, options))
    return int(cdf.searchsorted(rng.random(), side="right"))


@functools.cache
def _cdf(weights: tuple[float, ...]) -> np.ndarray:
    cdf = np.cumsum(np.array(weights, dtype=float) / np.sum(weights))  # as rng.choice normalises p, then its sum
    return cdf / cdf[-1]


# Age at referral: infants and teenagers are referred most.
REFERRAL_AGE_WEIGHTS = [9, 5, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 7, 8, 9, 9, 8, 6]
