"""Målbilde: a strategy follow-up dashboard for NTNU units (Streamlit + DuckDB)."""
