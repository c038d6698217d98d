"""Figures computed when a store version is published, so pages read rows instead of recomputing."""
