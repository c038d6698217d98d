"""The words a screen shows for a breakdown dimension and its coded values (registry/labels.toml)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _labels() -> dict:
    return tomllib.loads(
        resources.files("cscp_metrics.indicators.registry").joinpath("labels.toml").read_text(encoding="utf-8")
    )


def dimension(name: str) -> str:
    return _labels()["dimensions"].get(name, name.replace("_", " "))


def value(dimension_name: str, code: object) -> str:
    text = str(code)
    return _labels().get("values", {}).get(dimension_name, {}).get(text, text.replace("_", " "))
