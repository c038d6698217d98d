"""Tables that may reach a spreadsheet: text a spreadsheet would run as a formula is made inert (OWASP CSV injection).

One function serves every CSV the product writes (CLI, download buttons) and every table shown on screen, since
Streamlit's own "Download as CSV" on a table exports exactly what is shown."""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: object) -> object:
    """A text cell starting like a formula, prefixed with an apostrophe (shown as text by Excel and LibreOffice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_for_spreadsheet(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell and column name made inert. Numeric, boolean and date columns are left as they
    are (-5 stays the number -5); text columns are found by their values, whatever their dtype (object, str,
    string, category)."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if (
            pd.api.types.is_numeric_dtype(values)
            or pd.api.types.is_bool_dtype(values)
            or pd.api.types.is_datetime64_any_dtype(values)
        ):
            continue
        out[column] = values.map(inert)
    out.columns = [inert(name) for name in out.columns]
    return out
