"""Working records kept beside the published store, with history: members, the challenge log, return
schedules and their status (and the assurance records). They change between publishes, so they live in
their own file (`*.workspace.duckdb`, `*.challenges.duckdb`) and the published store stays read-only.
May import: `store` (paths, contracts), `indicators` (periods, registry ids), `council`.
Never imports scrutiny, outputs or cli, and never Streamlit.
"""
