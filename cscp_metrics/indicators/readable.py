"""Tables a person reads or downloads: registry words for every column and value, figures at the indicator's
decimals, provenance in a column (a spreadsheet reads the header from the first line)."""

from __future__ import annotations

import pandas as pd

from cscp_metrics.indicators import labels
from cscp_metrics.indicators.disclosure import HIDDEN_FLAGS
from cscp_metrics.indicators.registry import Indicator, load_registry, refs
from cscp_metrics.indicators.registry.pages import load_pages
from cscp_metrics.indicators.registry.refs import PopulationRef, Ref
from cscp_metrics.indicators.shown_cells import Shown, marked

POLARITY_WORDS = {"high_is_good": "higher is better", "low_is_good": "lower is better", "neutral": "neither"}
SOURCE_WORDS = {"local_authority": "local authority case records", "dfe": "DfE"}


def _measure_words(ind: Indicator, ref: Ref | None) -> str:
    if ref is None:
        return ""
    if isinstance(ref, PopulationRef):
        return "children aged 0-17 (ONS mid-year estimate)"
    counted = refs.counted(ref)
    return ind.counts_what if ref == ind.numerator or counted is None else counted.measure.replace("_", " ")


def definitions() -> pd.DataFrame:
    """The Definitions page: one row per indicator, in words."""
    rows = []
    for i in load_registry().indicators.values():
        rows.append(
            {
                "Indicator": i.title,
                "Priority area": load_pages().areas.get(i.priority_area, i.priority_area),
                "Definition": i.definition,
                "Measured as": i.unit,
                "Counts": _measure_words(i, i.numerator),
                "Which way is better": POLARITY_WORDS[i.polarity],
                "Source": SOURCE_WORDS.get(i.source, i.source.replace("_", " ")),
                "Compared with DfE": "yes" if i.dfe_reference else "no",
                "Small numbers (1-5)": "hidden in the public view" if i.disclosure == "children" else "shown",
                "Breakdowns": ", ".join(labels.dimension(d) for d in i.breakdowns),
            }
        )
    return pd.DataFrame(rows)


def _rounded(frame: pd.DataFrame, column: str, decimals: int) -> list[Shown]:
    """A column's figures at `decimals`, 'c' in its hidden cells (missing figures left as they are)."""
    flags = frame[HIDDEN_FLAGS[column]] if HIDDEN_FLAGS[column] in frame else [False] * len(frame)
    return [
        marked(value if value is None or pd.isna(value) else round(float(value), decimals), bool(hidden))
        for value, hidden in zip(frame[column], flags)
    ]


def breakdown_download(
    ind: Indicator, frame: pd.DataFrame, dimension: str, period: str, provenance: str
) -> pd.DataFrame:
    """A breakdown chart's CSV: human column names, values at the indicator's decimals (counts whole), 'c' hidden."""
    value_name = f"{ind.title} ({ind.unit})"
    out = pd.DataFrame(
        {
            "Period": period,
            labels.dimension(dimension).capitalize(): [labels.value(dimension, v) for v in frame["breakdown_value"]],
            value_name: _rounded(
                frame, "value", ind.decimals if ind.statistic in ("proportion", "rate", "change") else 0
            ),
        }
    )
    if ind.statistic in ("proportion", "rate"):
        out[f"Number of {ind.counts_what}"] = _rounded(frame, "numerator", 0)
        out["Out of" if ind.statistic == "proportion" else "Population"] = _rounded(frame, "denominator", 0)
        out["95% interval, lower"] = _rounded(frame, "lower_ci", ind.decimals)
        out["95% interval, upper"] = _rounded(frame, "upper_ci", ind.decimals)
    out["Data source"] = provenance  # not "Source": a breakdown by referral source has that column
    return out
