"""Indicators: the registry (every indicator defined once, as data, in `registry/*.toml`) and the engine.

A new indicator is one entry in `registry/indicators.toml` (with its measure in `registry/measures.toml`);
`engine.compute` turns any indicator × period × breakdown into a frame; `summary` builds the tiles pages
show; `disclosure` suppresses small numbers; `periods` is the typed financial year / quarter / month.
May import: `store`, `stats`, `council`. Never imports scrutiny, records, outputs or cli, and never Streamlit.
"""
