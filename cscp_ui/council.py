"""What the store says about its council, cached per store and published version: name, years, comparators."""

from __future__ import annotations

from cscp_metrics import council
from cscp_metrics.indicators import no_data

from . import data


@data.by_store_version(copied=False)
def _facts(at: data.Reading) -> dict:
    """As computed when the version was published (its receipt), else read now. The receipt's years also answer
    the version's later reads of them (read_memo): every run asks for the facts before a page reads anything."""
    from pathlib import Path

    from cscp_metrics.ready.stamp import receipt_facts

    known = receipt_facts(Path(at.path), at.version)
    if known is None:
        return council.facts(at.cursor)
    council.remember_facts(at.reads, at.connection, known)
    return known


def name() -> str:
    return _facts()["name"]


def years() -> list[str]:
    return _facts()["years"]


def default_year() -> str:
    return _facts()["default_year"]


def local_years() -> list[str]:
    return _facts()["local_years"]


def comparators() -> dict[str, str]:
    return _facts()["comparators"]


def is_demo() -> bool:
    return _facts()["demo"]


def caption() -> str:
    """The council in one line, for stores that are not the synthetic demo."""
    return _facts()["caption"]


@data.by_store_version(copied=False)
def no_data_reason(at: data.Reading, indicator_id: str, period: str) -> str:
    return no_data.reason(at.cursor, data.registry().indicators[indicator_id], period)


@data.by_store_version(copied=False)
def page_gap(at: data.Reading, indicator_ids: tuple[str, ...], period: str) -> str:
    return no_data.page_gap(at.cursor, [data.registry().indicators[i] for i in indicator_ids], period)
