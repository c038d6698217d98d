"""The `cscp` command line (typer): one module per group of commands, registered in `main`.
May import every stage. Never imports Streamlit.
"""

from __future__ import annotations

from cscp_metrics.cli.main import app

__all__ = ["app"]
