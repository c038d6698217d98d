"""Outputs: what leaves the product as a file (CSV safe for spreadsheets, board packs, report chapters).
May import every stage below it (store, indicators, stats, scrutiny, records, ready). Never imports cli or Streamlit.
"""
