"""Streamlit UI pieces shared by the pages: cached data access, filters, tiles, charts, projector mode."""
