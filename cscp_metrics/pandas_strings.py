"""Text in pandas frames held as Python strings (pandas 2's way), set once when the core is imported.

pandas 3 stores text as Arrow strings, which costs more than it saves in frames of a handful of rows: a publish
builds tens of thousands of them. Measured on the demo store (2-core machine, one process): every tile computed
at publish 12.8 s -> 7.9 s; one live engine call 9.4 -> 6.9 ms; one live tile 66 -> 47 ms. The option is
deprecated in pandas 3 and removed in pandas 4, hence the `pandas<4` pin in pyproject.toml."""

from __future__ import annotations

import warnings

import pandas as pd


def use_python_strings() -> None:
    if not pd.__version__.startswith("3."):
        return  # pandas 2 already holds text as Python strings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the option's deprecation notice, said once here instead
        pd.set_option("future.infer_string", False)
