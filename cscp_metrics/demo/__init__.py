"""The demo partnership: synthetic, deterministic Camden data calibrated to the 2019-20 annual report."""

from __future__ import annotations

SEED = 20200331
AREA_CODE = "E09000007"
