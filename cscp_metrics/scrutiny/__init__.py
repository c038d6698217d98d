"""Scrutiny: where to look. Significance against England, regions and statistical neighbours, change
beyond normal variation, funnels and league positions among all councils, reconciliation of local and
DfE figures, and the check of the annual report's printed figures.
May import: `indicators`, `stats`, `store`, `records` (to attach open challenges), `council`.
Never imports outputs or cli, and never Streamlit.
"""
