"""The store: the published DuckDB file and everything that writes it.

Owns the schema and its numbered migrations, the data contracts of every table, reading and validating
files (all or nothing, every load recorded), publishing a new store version atomically, the load-time
aggregates, DfE benchmark imports, uploads and the return templates generated from the contracts.
May import: `cscp_metrics.council`, `cscp_metrics.reference`, `cscp_metrics.indicators.periods` (typed periods).
Never imports scrutiny, records, outputs or cli, and never Streamlit.
"""
